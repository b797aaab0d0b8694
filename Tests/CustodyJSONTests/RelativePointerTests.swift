import CustodyJSON
import Testing

/// `relativePointer(to:)`: the pointer readers build only when they report or store a location.
@Suite struct RelativePointerTests {
    @Test func pathsThroughObjectsAndArrays() throws {
        let root = try Support.parse(#"{"items": [{"a": 1}, {"spec": {"c": [0, {"x~y/z": [true]}]}}], "n": null}"#)
        let item = try #require(root["items"]?[1])
        let deep = try #require(item["spec"]?["c"]?[1]?["x~y/z"]?[0])
        #expect(root.relativePointer(to: deep) == "/items/1/spec/c/1/x~0y~1z/0")
        #expect(item.relativePointer(to: deep) == "/spec/c/1/x~0y~1z/0")
        #expect(item.relativePointer(to: item) == "")
        #expect(root.relativePointer(to: try #require(root["n"])) == "/n")
        #expect(item.relativePointer(to: try #require(root["items"]?[0]?["a"])) == nil, "not inside")
        let other = try Support.parse(#"{"items": []}"#)
        #expect(other.relativePointer(to: deep) == nil, "another document")
    }

    @Test func duplicateKeysPointAtTheMemberFound() throws {
        let root = try Support.parse(#"{"a": {"b": 1}, "a": {"b": 2}}"#)
        let first = try #require(root["a"]?["b"])
        #expect(first.int64 == 1)
        #expect(root.relativePointer(to: first) == "/a/b")
    }
}
