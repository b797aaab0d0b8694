import CustodyJSON
import Foundation
import Testing

/// Real CycloneDX SBOMs from /work/shared/fixtures: full parses cross-checked against
/// Foundation, every truncation, and byte corruption.
@Suite struct FixtureTests {
    @Test func parsesEveryCycloneDXFixture() throws {
        let files = try Support.cycloneDXFiles()
        #expect(files.count >= 10)
        for url in files {
            let doc = try JSONDocument(data: try Data(contentsOf: url))
            #expect(doc.root["bomFormat"]?.string == "CycloneDX", "\(url.lastPathComponent)")
            #expect(doc.root["specVersion"]?.string != nil)
            Support.walk(doc.root)
        }
    }

    @Test func agreesWithFoundation() throws {
        for url in try Support.cycloneDXFiles() {
            let data = try Data(contentsOf: url)
            let doc = try JSONDocument(data: data)
            let reference = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            #expect(same(doc.root, reference), "\(url.lastPathComponent)")
        }
    }

    /// Structural equality between our tree and Foundation's (no duplicate keys in fixtures).
    func same(_ v: JSONValue, _ any: Any) -> Bool {
        switch v.kind {
        case .object:
            guard let dict = any as? [String: Any], dict.count == v.count else { return false }
            return v.members.allSatisfy { key, value in dict[key].map { same(value, $0) } ?? false }
        case .array:
            guard let array = any as? [Any], array.count == v.count else { return false }
            return zip(v.elements, array).allSatisfy { same($0, $1) }
        case .string:
            return (any as? String) == v.string
        case .number:
            guard let n = any as? NSNumber, let d = v.double else { return false }
            return n.doubleValue == d
        case .bool:
            return (any as? Bool) == v.bool
        case .null:
            return any is NSNull
        }
    }

    @Test(arguments: ["python-app.cyclonedx-bom-3.11.0.cdx-1.4.json", "jfrog-xray-with-vulns.cdx-1.4.json"])
    func everyTruncationThrows(_ name: String) throws {
        var bytes = try Support.fixture(name)
        while let last = bytes.last, last == 0x0A || last == 0x20 || last == 0x0D { bytes.removeLast() }
        _ = try JSONDocument(bytes: bytes)
        var parsedPrefixes: [Int] = []
        for n in 0..<bytes.count {
            if let doc = try? JSONDocument(bytes: Array(bytes[0..<n])) {
                parsedPrefixes.append(n)
                Support.walk(doc.root)
            }
        }
        #expect(parsedPrefixes.isEmpty, "prefixes that parsed: \(parsedPrefixes.prefix(5))")
    }

    @Test func corruptedBytesNeverCrash() throws {
        let original = try Support.fixture("jfrog-xray-with-vulns.cdx-1.4.json")
        let replacements: [UInt8] = [0x00, 0x22, 0x5C, 0x7B, 0x5D, 0x2C, 0x3A, 0x30, 0x2D, 0x65, 0xFF, 0xC3, 0xF0]
        var failures = 0
        for position in stride(from: 0, to: original.count, by: 3) {
            for replacement in replacements {
                var bytes = original
                bytes[position] = replacement
                do {
                    Support.walk(try JSONDocument(bytes: bytes).root)
                } catch {
                    failures += 1
                    #expect(error.byteOffset >= 0 && error.byteOffset <= bytes.count)
                    #expect(error.line >= 1 && error.column >= 1)
                }
            }
        }
        #expect(failures > 0)
    }

    @Test func tapeIsCompact() throws {
        let bytes = try Support.fixture("keycloak-10.0.2.cyclonedx-maven.cdx-1.2.json")
        let doc = try JSONDocument(bytes: bytes)
        #expect(doc.tapeByteCount <= bytes.count * 3 / 2)
        let components = try #require(doc.root["components"])
        #expect(components.count == components.elements.count)
        #expect(components.elements.allSatisfy { $0["name"]?.string != nil })
    }
}
