import CustodyCore

/// What the three SPDX readers (2.x JSON, 2.x tag-value, 3.0 JSON-LD) extract from a document,
/// before any graph fact is made. One shape for all three, so that `SPDXFactMapper` decides
/// subjects, membership and dependencies the same way whatever the serialization.
struct SPDXDocumentModel {
    /// Ingestor id, stored as the SBOM node's `format` attribute.
    var format: String
    /// The document's own element id (`SPDXRef-DOCUMENT`; the SpdxDocument IRI in SPDX 3):
    /// relationships from it are `DESCRIBES` of the subjects.
    var documentID: String?
    /// `documentNamespace` (SPDX 2) or the SpdxDocument `spdxId` (SPDX 3): the sbom node key.
    var namespace: String?
    var specVersion: String?
    var name: String?
    var created: String?
    var createdLocation: String?
    /// `Tool: x` creators (SPDX 2) or the names of the creating tools (SPDX 3).
    var tools: [String] = []
    /// Subjects named directly (`documentDescribes[]`, SPDX 3 `rootElement`), with where.
    var describes: [(id: String, location: String)] = []
    var packages: [SPDXPackageRecord] = []
    /// File element ids and names (files are not packages; a file can be a subject).
    var fileNames: [String: String] = [:]
    var fileCount = 0
    var relationships: [SPDXRelationshipRecord] = []

    init(format: String) {
        self.format = format
    }
}

struct SPDXChecksum {
    var algorithm: String
    var value: String
}

/// One SPDX package (SPDX 2 `packages[]` / tag-value block, SPDX 3 `software_Package`).
struct SPDXPackageRecord {
    var id: String?
    var name: String?
    var version: String?
    /// The purl as written (PACKAGE-MANAGER / PACKAGE_MANAGER `purl` ref, `software_packageUrl`).
    var purl: String?
    var cpe: String?
    var checksums: [SPDXChecksum] = []
    /// `primaryPackagePurpose` upper-cased (`CONTAINER`), SPDX 3 `software_primaryPurpose` too.
    var purpose: String?
    /// JSON pointer or `line:N`.
    var location: String

    init(location: String) {
        self.location = location
    }

    /// Adds an SPDX 2 external reference; purls win by category, the first CPE is kept.
    mutating func addExternalRef(category: String?, type: String, locator: String) {
        let type = type.lowercased()
        if type == "purl" {
            let category = category?.uppercased()
            let preferred = category == "PACKAGE-MANAGER" || category == "PACKAGE_MANAGER"
            if purl == nil || (preferred && !purlFromPreferredCategory) {
                purl = locator
                purlFromPreferredCategory = preferred
            }
        } else if type == "cpe23type" || type == "cpe22type" || type == "cpe23" || type == "cpe22" {
            if cpe == nil || (type.hasPrefix("cpe23") && !(cpe?.hasPrefix("cpe:2.3:") ?? false)) {
                cpe = locator
            }
        }
    }

    private var purlFromPreferredCategory = false
}

/// `from TYPE to` as written; normalization happens in `SPDXRelationshipType`.
struct SPDXRelationshipRecord {
    var from: String
    var type: String
    var to: String
    var location: String
}

/// Ids that cannot be resolved inside this document: `NOASSERTION`, `NONE`, cross-document
/// `DocumentRef-x:SPDXRef-y`, and SPDX 3's `NoAssertionElement` / `NoneElement` individuals.
enum SPDXElementID {
    static func isExternalOrVoid(_ id: String) -> Bool {
        if id == "NOASSERTION" || id == "NONE" { return true }
        if id.hasPrefix("DocumentRef-") { return true }
        if id.hasSuffix("/NoAssertionElement") || id.hasSuffix("/NoneElement") { return true }
        if id == "NoAssertionElement" || id == "NoneElement" { return true }
        return false
    }
}
