import Foundation
import Testing
@testable import CustodyStore

@Suite("Attribute JSON")
struct AttributeJSONTests {
    /// Round-trips through Foundation's JSON reader: the hand-written encoder sizes its output
    /// up front, so several pairs and escapes are where it could go wrong.
    @Test(arguments: [
        ["a": "1"],
        ["componentType": "library", "qualifiers": "arch=amd64&distro=debian-12", "z": ""],
        ["quote\"key": "back\\slash", "nl": "line\nbreak\r\t", "ctl": "\u{1B}[31m\u{0}", "é": "ü→"],
        Dictionary(uniqueKeysWithValues: (0..<40).map { ("k\($0)", String(repeating: "v", count: $0)) }),
    ])
    func roundTrips(_ attributes: [String: String]) throws {
        let text = try #require(AttributeJSON.encode(attributes))
        let decoded = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]
        #expect(decoded == attributes)
        #expect(text.utf8.first == UInt8(ascii: "{") && text.utf8.last == UInt8(ascii: "}"))
    }

    @Test func keysAreSortedAndEmptyIsNull() {
        #expect(AttributeJSON.encode([:]) == nil)
        #expect(AttributeJSON.encode(["b": "2", "a": "1"]) == #"{"a":"1","b":"2"}"#)
    }
}
