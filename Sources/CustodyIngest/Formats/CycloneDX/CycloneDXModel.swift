import CustodyCore

/// What both CycloneDX encodings (JSON and XML) say, reduced to the fields that become facts.
///
/// The JSON reader streams components into `CycloneDXFactMapper` as it walks the tape; the XML
/// reader collects them during its SAX pass and replays them. Either way the mapper sees the
/// same values in the same order (metadata first, then components in document pre-order, then
/// dependencies), so the two encodings of one BOM produce the same graph.
struct CycloneDXHeader: Sendable {
    /// `1.2` … `1.7` (JSON `specVersion`; XML namespace suffix).
    var specVersion: String
    /// `urn:uuid:…` as written; nil when absent.
    var serialNumber: String?
    var serialNumberLocation: String?
    /// BOM `version` (revision of the same serial number); 1 when absent, as the schema defaults.
    var bomVersion: Int64 = 1
    /// `metadata.timestamp` as written.
    var timestamp: String?
    /// Where the timestamp was (`/metadata/timestamp`, `line:4`), for the diagnostic when it is bad.
    var timestampLocation: String?
    /// Tools that produced the BOM, `name version` each, in document order.
    var tools: [String] = []

    init(specVersion: String) {
        self.specVersion = specVersion
    }
}

/// One `name`/`value` pair from `properties[]`.
struct CycloneDXProperty: Sendable {
    var name: String
    var value: String
}

/// One `{alg, content}` hash.
struct CycloneDXHash: Sendable {
    var algorithm: String
    var content: String
}

/// One component (metadata subject or inventory entry).
struct CycloneDXComponent: Sendable {
    var type: String?
    var bomRef: String?
    var group: String?
    var name: String?
    var version: String?
    var purl: String?
    var cpe: String?
    /// Read for the metadata component only (image digests); inventory hashes make no fact yet.
    var hashes: [CycloneDXHash] = []
    /// All properties for the metadata component; for inventory components only the ones that
    /// `CycloneDXProperties.keepsOnEdge` accepts (readers filter early to save work).
    var properties: [CycloneDXProperty] = []
    /// JSON pointer (`/components/3/components/0`) or `line:N`.
    var location: String

    init(location: String) {
        self.location = location
    }

    /// The values of every property called `name`, in document order.
    func properties(named name: String) -> [String] {
        properties.compactMap { $0.name == name ? $0.value : nil }
    }
}

/// Which component properties travel to the `contains` edge.
enum CycloneDXProperties {
    /// Tool-internal bookkeeping (file locations, cataloger names, layer ids, package ids): it
    /// says how a scanner found a package, not what the package is to the owner. Dropping it
    /// keeps 100,000-component Syft SBOMs from carrying ~10 attributes on every edge.
    static let toolInternalPrefixes: [String] = [
        "syft:location:",
        "syft:metadata:",
        "syft:package:",
        "aquasecurity:trivy:Layer",
        "aquasecurity:trivy:PkgID",
    ]

    /// True for properties kept as `property:<name>` edge attributes (e.g. `acme:runtime`).
    static func keepsOnEdge(_ name: String) -> Bool {
        guard !name.isEmpty else { return false }
        for prefix in toolInternalPrefixes where name.hasPrefix(prefix) { return false }
        return true
    }

    /// Edge attributes for the kept properties. A name that occurs more than once (Trivy repeats
    /// some) keeps each distinct value, joined with `, ` in document order.
    static func edgeAttributes(_ properties: [CycloneDXProperty]) -> [String: String] {
        guard !properties.isEmpty else { return [:] }
        var attributes: [String: String] = [:]
        var seen: [String: [String]] = [:]
        for property in properties where keepsOnEdge(property.name) {
            let key = "property:" + property.name
            guard let existing = attributes[key] else {
                attributes[key] = property.value
                continue
            }
            var values = seen[key] ?? [existing]
            if !values.contains(property.value) {
                values.append(property.value)
                attributes[key] = values.joined(separator: ", ")
            }
            seen[key] = values
        }
        return attributes
    }

    /// Raw-byte form of `keepsOnEdge`'s exclusions, for readers that can look at the undecoded
    /// text first: true when `bytes` at `start` begin with a tool-internal prefix. A string
    /// shorter than the prefix mismatches at its closing quote; an escaped name falls through
    /// to the decoded check.
    static func isToolInternal(raw bytes: [UInt8], at start: Int) -> Bool {
        for prefix in toolInternalPrefixBytes where start + prefix.count <= bytes.count {
            var index = 0
            while index < prefix.count, bytes[start + index] == prefix[index] { index += 1 }
            if index == prefix.count { return true }
        }
        return false
    }

    private static let toolInternalPrefixBytes: [[UInt8]] = toolInternalPrefixes.map { Array($0.utf8) }
}

/// SBOM document keys (DESIGN.md §2 `sbom`): `urn:cdx:<uuid>/<version>` as BOM-Link spells it.
enum CycloneDXDocumentKey {
    /// The key for `serialNumber`+`version`, or nil when the serial number is not
    /// `urn:uuid:<uuid>` (the caller falls back to the content hash and says why).
    static func key(serialNumber: String, version: Int64) -> String? {
        let prefix = "urn:uuid:"
        guard serialNumber.utf8.count == prefix.utf8.count + 36,
              serialNumber.lowercased().hasPrefix(prefix) else { return nil }
        let uuid = serialNumber.dropFirst(prefix.count).lowercased()
        for (offset, byte) in uuid.utf8.enumerated() {
            let isDash = offset == 8 || offset == 13 || offset == 18 || offset == 23
            let valid = isDash
                ? byte == UInt8(ascii: "-")
                : (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            guard valid else { return nil }
        }
        return "urn:cdx:\(uuid)/\(version)"
    }

    /// `specVersion` must be `1.<digits>`; CycloneDX 2 would be a different format.
    static func isSupportedSpecVersion(_ text: String) -> Bool {
        guard text.hasPrefix("1."), text.count > 2, text.count <= 6 else { return false }
        return text.dropFirst(2).allSatisfy { $0.isASCII && $0.isNumber }
    }
}
