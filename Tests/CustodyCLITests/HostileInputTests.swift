import Foundation
import Testing

/// Every hostile input gets a clear error with its location and exit status 3, nothing
/// crashes, and the case database is exactly as it was before.
@Suite struct HostileInputTests {
    static let validSBOM = CLI.shared.appendingPathComponent("fixtures/sbom/cyclonedx/laravel-7.12.0.cyclonedx-php-composer.cdx-1.4.json")

    /// Counts of every table that facts land in.
    static func snapshot(_ db: String) throws -> String {
        let sql = """
            SELECT (SELECT count(*) FROM documents) || '/' || (SELECT count(*) FROM nodes) || '/' ||
                   (SELECT count(*) FROM edges) || '/' || (SELECT count(*) FROM node_evidence) || '/' ||
                   (SELECT count(*) FROM edge_evidence) || '/' || (SELECT count(*) FROM diagnostics) AS counts
            """
        let result = try CLI.run(["sql", sql, "--db", db, "--format", "csv"])
        return result.stdout
    }

    static func expectRejected(_ file: URL, mentioning phrase: String, extra: [String] = []) throws {
        let db = CLI.temporaryDatabase()
        try #require(try CLI.run(["ingest", validSBOM.path, "--db", db]).status == 0)
        let before = try snapshot(db)
        let result = try CLI.run(["ingest", file.path, "--db", db] + extra)
        #expect(result.status == 3, "status \(result.status); stderr: \(result.stderr)")
        #expect(result.stderr.contains("rejected"), "\(result.stderr)")
        #expect(result.stderr.contains(file.lastPathComponent), "the error names the file: \(result.stderr)")
        #expect(result.stderr.lowercased().contains(phrase.lowercased()), "expected '\(phrase)' in: \(result.stderr)")
        #expect(result.stdout.contains("1 rejected"))
        #expect(try snapshot(db) == before, "the case database changed")
    }

    static func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("custody-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    @Test func truncatedJSON() throws {
        let bytes = try [UInt8](Data(contentsOf: Self.validSBOM))
        let file = try Self.write("truncated.cdx.json", Array(bytes.prefix(bytes.count / 2)))
        try Self.expectRejected(file, mentioning: "unexpected end of input")
    }

    @Test func wrongTypes() throws {
        let text = #"{"bomFormat":"CycloneDX","specVersion":"1.5","components":{"not":"an array"}}"#
        try Self.expectRejected(try Self.write("wrong-types.cdx.json", Array(text.utf8)), mentioning: "components")
    }

    @Test func deepNesting() throws {
        var text = #"{"bomFormat":"CycloneDX","specVersion":"1.5","components":"#
        text += String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        try Self.expectRejected(try Self.write("deep.cdx.json", Array(text.utf8)), mentioning: "nesting")
    }

    @Test func hugeString() throws {
        var bytes = Array(#"{"bomFormat":"CycloneDX","specVersion":"1.5","metadata":{"component":{"name":""#.utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "A"), count: 200 * 1024 * 1024)
        bytes += Array(#""}}}"#.utf8)
        try Self.expectRejected(try Self.write("huge-string.cdx.json", bytes), mentioning: "string longer")
    }

    @Test func gzipBomb() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("custody-bomb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let bomb = directory.appendingPathComponent("bomb.json.gz")
        let maker = Process()
        maker.executableURL = URL(fileURLWithPath: "/bin/sh")
        maker.arguments = ["-c", "head -c 1200M /dev/zero | gzip -1 > '\(bomb.path)'"]
        try maker.run()
        maker.waitUntilExit()
        try #require(maker.terminationStatus == 0)
        try Self.expectRejected(bomb, mentioning: "decompression bomb")
    }

    @Test func xmlEntityExpansion() throws {
        let laughs = """
            <?xml version="1.0"?>
            <!DOCTYPE bom [
              <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
              <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
              <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
              <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
            ]>
            <bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1"><components><component type="library"><name>&d;</name></component></components></bom>
            """
        try Self.expectRejected(try Self.write("laughs.cdx.xml", Array(laughs.utf8)), mentioning: "DOCTYPE")
    }

    @Test func unknownFormatIsRejectedNotMisread() throws {
        try Self.expectRejected(try Self.write("notes.txt", Array("just some text\n".utf8)), mentioning: "unrecognized format")
    }

    @Test func controlCharactersInErrorsAreMadeVisible() throws {
        let name = "evil\u{1B}[31mred.json"
        let file = try Self.write(name, Array("{".utf8))
        let result = try CLI.run(["ingest", file.path, "--db", CLI.temporaryDatabase()])
        #expect(result.status == 3)
        #expect(!result.stderr.contains("\u{1B}"), "raw escape reached the terminal")
        #expect(result.stderr.contains("\\x1b[31m"))
    }
}
