import CustodyJSON
import Foundation
import Testing

/// Well-formed input: navigation, decoding and the RFC 8259 corner cases that must pass.
@Suite struct ValidDocumentTests {
    @Test func nestedNavigation() throws {
        let root = try Support.parse("""
            {"name": "custody", "tags": ["a", "b", {"deep": [null, true, false]}],
             "meta": {"count": 3, "empty": {}, "none": []}}
            """)
        #expect(root.kind == .object)
        #expect(root.count == 3)
        #expect(root["name"]?.string == "custody")
        #expect(root["tags"]?.count == 3)
        #expect(root["tags"]?[1]?.string == "b")
        #expect(root["tags"]?[2]?["deep"]?[0]?.isNull == true)
        #expect(root["tags"]?[2]?["deep"]?[1]?.bool == true)
        #expect(root["tags"]?[2]?["deep"]?[2]?.bool == false)
        #expect(root["meta"]?["count"]?.int64 == 3)
        #expect(root["meta"]?["empty"]?.count == 0)
        #expect(root["meta"]?["none"]?.kind == .array)
        #expect(root["meta"]?["none"]?.elements.isEmpty == true)
        #expect(root["missing"] == nil)
        #expect(root["tags"]?[3] == nil)
        #expect(root["tags"]?[-1] == nil)
        #expect(root.elements.isEmpty)
        #expect(root["name"]?["x"] == nil)
        #expect(root["name"]?.int64 == nil)
        #expect(root["name"]?.count == 0)
        #expect(root["tags"]?.string == nil)
    }

    @Test func membersKeepOrderAndDuplicates() throws {
        let root = try Support.parse(#"{"b": 1, "a": 2, "b": 3}"#)
        #expect(root.members.map(\.key) == ["b", "a", "b"])
        #expect(root.members.map { $0.value.int64 } == [1, 2, 3])
        #expect(root["b"]?.int64 == 1, "first match wins")
        #expect(root.members.count == 3)
        let raw = root.rawMembers.filter { $0.key.keyEquals("b") }
        #expect(raw.map { $0.value.int64 } == [1, 3])
    }

    @Test func elementsSkipNestedSubtrees() throws {
        let root = try Support.parse(#"[[1, [2, [3]]], {"k": [4, 5]}, "s", 6]"#)
        #expect(root.elements.map(\.kind) == [.array, .object, .string, .number])
        #expect(root.elements.count == 4)
        #expect(root[3]?.int64 == 6)
        #expect(root[0]?[1]?[1]?[0]?.int64 == 3)
    }

    @Test func escapes() throws {
        let root = try Support.parse(#"["\"\\\/\b\f\n\r\t", "\u0041\u00e9\u4e2d", "\ud83d\ude00", "a\u0000b"]"#)
        #expect(root[0]?.string == "\"\\/\u{8}\u{C}\n\r\t")
        #expect(root[1]?.string == "Aé中")
        #expect(root[2]?.string == "😀")
        #expect(root[3]?.string == "a\u{0}b")
    }

    @Test func loneSurrogatesBecomeReplacementCharacter() throws {
        let root = try Support.parse(#"["\ud800", "x\udc00y", "\ude00\ud83d", "\ud83d\u0041"]"#)
        #expect(root[0]?.string == "\u{FFFD}")
        #expect(root[1]?.string == "x\u{FFFD}y")
        #expect(root[2]?.string == "\u{FFFD}\u{FFFD}")
        #expect(root[3]?.string == "\u{FFFD}A")
    }

    @Test func rawUnicode() throws {
        let root = try Support.parse("[\"héllo wörld\", \"日本語\", \"😀 emoji\", \"\u{7F}\"]")
        #expect(root.elements.compactMap(\.string) == ["héllo wörld", "日本語", "😀 emoji", "\u{7F}"])
    }

    @Test func escapedKeysMatchDecodedName() throws {
        let root = try Support.parse(#"{"n\u0061me": "x", "caf\u00e9": 1}"#)
        #expect(root["name"]?.string == "x")
        #expect(root["café"]?.int64 == 1)
        #expect(root.rawMembers.first?.key.keyEquals("name") == true)
        #expect(root.rawMembers.first?.key.keyEquals("nam") == false)
    }

    @Test func keyEqualsComparesBytes() throws {
        let root = try Support.parse(#"{"bom-ref": 1, "": 2}"#)
        let keys = root.rawMembers.map(\.key)
        #expect(keys[0].keyEquals("bom-ref"))
        #expect(keys[0].keyEquals("bom-ref" as StaticString))
        #expect(!keys[0].keyEquals("bom-reg"))
        #expect(!keys[0].keyEquals("bom-ref "))
        #expect(keys[1].keyEquals(""))
        #expect(root[""]?.int64 == 2)
        #expect(root.rawMembers.first?.value.keyEquals("1") == false, "numbers are not strings")
    }

    @Test(arguments: ["0", "-0", "\"\"", "true", "false", "null", "[]", "{}", " [ ] ", "\t\r\n{}\n",
                      "[1e5, 1E+5, 1e-5, -1.5e-300, 0.0]", #"{"a":{"b":{"c":[[[]]]}}}"#, "\u{FEFF}{}",
                      #"["\/", "\u0000"]"#, "123456789012345678901234567890"])
    func acceptsValidDocument(_ text: String) throws {
        _ = try JSONDocument(string: text)
    }

    @Test func topLevelScalars() throws {
        #expect(try Support.parse("42").int64 == 42)
        #expect(try Support.parse(" \"s\" ").string == "s")
        #expect(try Support.parse("true").bool == true)
        #expect(try Support.parse("null").isNull)
        #expect(try Support.parse("null").kind == .null)
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let doc = try JSONDocument(bytes: [0xEF, 0xBB, 0xBF] + Array(#"{"a": "b"}"#.utf8))
        #expect(doc.root["a"]?.string == "b")
        #expect(doc.root.byteOffset == 3)
        #expect(doc.root.location == (line: 1, column: 1))
    }

    @Test func locationsOfValues() throws {
        let doc = try JSONDocument(string: "{\n  \"a\": [1,\n    \"é\", true]\n}")
        let a = try #require(doc.root["a"])
        #expect(a.location == (line: 2, column: 8))
        #expect(a[1]!.location == (line: 3, column: 5))
        #expect(a[2]!.location == (line: 3, column: 10), "columns count scalars, not bytes")
        #expect(doc.lineAndColumn(ofByte: 0) == (line: 1, column: 1))
        let error = a[1]!.error("expected a number")
        #expect(error.description == "expected a number (line 3, column 5)")
        #expect(error.byteOffset == a[1]!.byteOffset)
    }

    @Test func otherEntryPoints() throws {
        let text = #"{"k": [1, 2]}"#
        let fromData = try JSONDocument(data: Data(text.utf8))
        #expect(fromData.root["k"]?.count == 2)
        let bytes = Array(text.utf8)
        let fromPointer = try bytes.withUnsafeBytes { buffer throws(JSONError) in
            try JSONDocument(bytes: buffer)
        }
        #expect(fromPointer.root["k"]?[1]?.int64 == 2)
        #expect(fromPointer.byteCount == bytes.count)
    }

    @Test func valuesCrossConcurrencyDomains() async throws {
        let root = try Support.parse(#"{"name": "sendable"}"#)
        let name = await Task.detached { root["name"]?.string }.value
        #expect(name == "sendable")
    }
}
