import CustodyCore
import CustodyIngest
import Foundation
import Testing

/// Hostile and broken inputs: each must be a located `.rejectedInput` error, never a crash,
/// a hang or an expansion. Files are in `Fixtures/cyclonedx/` (see Fixtures/README.md).
@Suite("CycloneDX hostile input")
struct CycloneDXHostileTests {
    static func local(_ name: String) throws -> IngestInput {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/cyclonedx").appendingPathComponent(name)
        return IngestInput(source: "cyclonedx/" + name, fileName: name, bytes: [UInt8](try Data(contentsOf: url)))
    }

    static func rejectJSON(_ bytes: [UInt8]) -> CustodyError? {
        CycloneDXTest.rejection {
            try CycloneDXJSONIngestor().ingest(IngestInput(source: "hostile.json", fileName: "hostile.json", bytes: bytes))
        }
    }

    static func rejectXML(_ bytes: [UInt8]) -> CustodyError? {
        CycloneDXTest.rejection {
            try CycloneDXXMLIngestor().ingest(IngestInput(source: "hostile.xml", fileName: "hostile.xml", bytes: bytes))
        }
    }

    // MARK: - JSON

    @Test("truncated JSON: rejected at the end, with line and column")
    func truncated() throws {
        let input = try Self.local("truncated.cdx.json")
        let error = CycloneDXTest.rejection { try CycloneDXJSONIngestor().ingest(input) }
        #expect(error?.code == .rejectedInput)
        #expect(error?.location?.path == "cyclonedx/truncated.cdx.json")
        #expect((error?.location?.line ?? 0) > 40)
        #expect(error?.location?.column != nil)
    }

    @Test("components is an object: rejected at /components")
    func componentsNotArray() throws {
        let input = try Self.local("wrong-types.cdx.json")
        let error = CycloneDXTest.rejection { try CycloneDXJSONIngestor().ingest(input) }
        #expect(error?.code == .rejectedInput)
        #expect(error?.location?.pointer == "/components")
        #expect(error?.location?.line == 6)
        #expect(error?.message.contains("must be an array") == true)
    }

    @Test("wrong types and wrong documents, each with its pointer", arguments: [
        (#"[1,2]"#, ""),
        (#"{"specVersion":"1.5"}"#, ""),
        (#"{"bomFormat":"SPDX","specVersion":"1.5"}"#, "/bomFormat"),
        (#"{"bomFormat":"CycloneDX","specVersion":1.5}"#, "/specVersion"),
        (#"{"bomFormat":"CycloneDX","specVersion":"2.0"}"#, "/specVersion"),
        (#"{"bomFormat":"CycloneDX","specVersion":"1.5","version":"one"}"#, "/version"),
        (#"{"bomFormat":"CycloneDX","specVersion":"1.5","metadata":[]}"#, "/metadata"),
        (#"{"bomFormat":"CycloneDX","specVersion":"1.5","metadata":{"tools":"syft"}}"#, "/metadata/tools"),
        (#"{"bomFormat":"CycloneDX","specVersion":"1.5","metadata":{"component":{"name":7}}}"#, "/metadata/component/name"),
        (#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":["a"]}"#, "/components/0"),
        (#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"purl":true}]}"#, "/components/0/purl"),
        (#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"a","components":{}}]}"#, "/components/0/components"),
        (#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"properties":[{"name":"x","value":1}]}]}"#, "/components/0/properties/0/value"),
        (#"{"bomFormat":"CycloneDX","specVersion":"1.5","dependencies":{}}"#, "/dependencies"),
        (#"{"bomFormat":"CycloneDX","specVersion":"1.5","dependencies":[{"dependsOn":[]}]}"#, "/dependencies/0/ref"),
        (#"{"bomFormat":"CycloneDX","specVersion":"1.5","dependencies":[{"ref":"a","dependsOn":[1]}]}"#, "/dependencies/0/dependsOn/0"),
    ])
    func wrongTypes(document: String, pointer: String) {
        let error = Self.rejectJSON(Array(document.utf8))
        #expect(error?.code == .rejectedInput)
        #expect(error?.location?.pointer == pointer)
        #expect(error?.location?.line == 1)
    }

    @Test("100,000-deep nesting: arrays and nested components")
    func deepNesting() {
        let arrays = Array(String(repeating: "[", count: 100_000).utf8)
        let error = Self.rejectJSON(arrays)
        #expect(error?.code == .rejectedInput)
        #expect(error?.location?.line == 1)

        var components = #"{"bomFormat":"CycloneDX","specVersion":"1.6","components":"#
        components += String(repeating: #"[{"type":"library","name":"n","components":"#, count: 100_000)
        components += "[]" + String(repeating: "}]", count: 100_000) + "}"
        let nested = Self.rejectJSON(Array(components.utf8))
        #expect(nested?.code == .rejectedInput)
        #expect(nested?.location?.column != nil)
    }

    @Test("nesting within the parser limit is walked without trouble")
    func moderateNesting() throws {
        var text = #"{"bomFormat":"CycloneDX","specVersion":"1.6","components":"#
        for level in 0..<200 { text += #"[{"type":"library","name":"n\#(level)","purl":"pkg:npm/n\#(level)@1","components":"# }
        text += "[]" + String(repeating: "}]", count: 200) + "}"
        let batch = try CycloneDXTest.json(text)
        #expect(batch.packageKeys.count == 200)
    }

    @Test("invalid UTF-8 in JSON: rejected with its line")
    func invalidUTF8JSON() throws {
        let input = try Self.local("invalid-utf8.cdx.json")
        let error = CycloneDXTest.rejection { try CycloneDXJSONIngestor().ingest(input) }
        #expect(error?.code == .rejectedInput)
        #expect(error?.location?.line == 3)
    }

    @Test("empty input and garbage", arguments: [[UInt8](), Array("\u{FEFF}".utf8), [0x00, 0x01, 0x02], Array("nul\u{0}l".utf8)])
    func garbage(bytes: [UInt8]) {
        #expect(Self.rejectJSON(bytes)?.code == .rejectedInput)
        #expect(Self.rejectXML(bytes)?.code == .rejectedInput)
    }

    // MARK: - XML

    @Test("billion laughs: refused before parsing, at the DOCTYPE")
    func billionLaughs() throws {
        let input = try Self.local("billion-laughs.cdx.xml")
        let clock = ContinuousClock()
        let start = clock.now
        let error = CycloneDXTest.rejection { try CycloneDXXMLIngestor().ingest(input) }
        #expect(clock.now - start < .seconds(1))
        #expect(error?.code == .rejectedInput)
        #expect(error?.message.contains("DOCTYPE") == true)
        #expect(error?.location?.line == 2)
        #expect(error?.location?.column == 1)
    }

    @Test("external entities: refused, nothing read")
    func externalEntity() throws {
        let input = try Self.local("external-entity.cdx.xml")
        let error = CycloneDXTest.rejection { try CycloneDXXMLIngestor().ingest(input) }
        #expect(error?.code == .rejectedInput)
        #expect(error?.message.contains("DOCTYPE") == true)
        #expect(error?.location?.line == 2)
    }

    @Test("DOCTYPE hidden after a comment, or after the root, or in lower case")
    func hiddenDoctype() {
        let afterComment = "<?xml version=\"1.0\"?>\n<!-- hi -->\n<!doctype bom [<!ENTITY a \"b\">]>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"/>"
        #expect(Self.rejectXML(Array(afterComment.utf8))?.location?.line == 3)
        let inside = "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\">\n<!DOCTYPE x [<!ENTITY a SYSTEM \"file:///etc/passwd\">]><components/></bom>"
        let error = Self.rejectXML(Array(inside.utf8))
        #expect(error?.code == .rejectedInput)
        #expect(error?.location?.line != nil)
    }

    @Test("non-UTF-8 encodings are refused", arguments: [
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?><bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"/>",
        "<?xml version='1.0' encoding='UTF-7'?><bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"/>",
    ])
    func declaredEncoding(document: String) {
        let error = Self.rejectXML(Array(document.utf8))
        #expect(error?.message.contains("UTF-8") == true)
    }

    @Test("UTF-16 bytes are refused")
    func utf16() {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"/>".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(Self.rejectXML(bytes)?.message.contains("UTF-8") == true)
    }

    @Test("invalid UTF-8 in XML: rejected with line and column")
    func invalidUTF8XML() throws {
        let input = try Self.local("invalid-utf8.cdx.xml")
        let error = CycloneDXTest.rejection { try CycloneDXXMLIngestor().ingest(input) }
        #expect(error?.code == .rejectedInput)
        #expect(error?.location?.line == 4)
        #expect(error?.location?.column == 40)
    }

    @Test("malformed XML: truncated, mismatched tags")
    func malformedXML() {
        let truncated = "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\">\n<components>\n<component type=\"library\"><name>a</na"
        let error = Self.rejectXML(Array(truncated.utf8))
        #expect(error?.code == .rejectedInput)
        #expect(error?.location?.line != nil)
        let mismatched = "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"><components></bom>"
        #expect(Self.rejectXML(Array(mismatched.utf8))?.code == .rejectedInput)
    }

    @Test("100,000-deep XML elements")
    func deepXML() {
        var text = "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"><components>"
        text += String(repeating: "<component type=\"library\"><name>x</name><components>", count: 100_000)
        let error = Self.rejectXML(Array(text.utf8))
        #expect(error?.code == .rejectedInput)
        #expect(error?.location?.line == 1)
    }
}
