import CustodyJSON
import Foundation

/// Shared helpers for the CustodyJSON tests.
enum Support {
    static func parse(_ text: String, limits: JSONLimits = .default) throws(JSONError) -> JSONValue {
        try JSONDocument(string: text, limits: limits).root
    }

    static func parseError(_ bytes: [UInt8], limits: JSONLimits = .default) -> JSONError? {
        do {
            _ = try JSONDocument(bytes: bytes, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    static func parseError(_ text: String, limits: JSONLimits = .default) -> JSONError? {
        parseError(Array(text.utf8), limits: limits)
    }

    /// /work/shared/fixtures/sbom/cyclonedx, found from this file's real location
    /// (symlinks resolved, so the throwaway build package works too).
    static var cycloneDXDirectory: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared/fixtures/sbom/cyclonedx")
    }

    static func cycloneDXFiles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: cycloneDXDirectory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    static func fixture(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: cycloneDXDirectory.appendingPathComponent(name)))
    }

    /// Reads every string, key and number below `value`; exercises all lazy decoders.
    @discardableResult
    static func walk(_ value: JSONValue) -> Int {
        switch value.kind {
        case .object:
            var n = 0
            for (key, member) in value.members { n &+= key.utf8.count &+ walk(member) }
            return n
        case .array:
            return value.elements.reduce(0) { $0 &+ walk($1) }
        case .string:
            return value.string?.utf8.count ?? 0
        case .number:
            _ = value.double
            _ = value.stringOrNumberText
            return Int(truncatingIfNeeded: value.int64 ?? 0)
        case .bool, .null:
            return 1
        }
    }
}
