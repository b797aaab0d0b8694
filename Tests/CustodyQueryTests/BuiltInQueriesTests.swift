import Foundation
import Testing
@testable import CustodyQuery

/// The built-in copy of `queries/` (`BuiltInQueries.swift`) must equal the files. Record mode
/// (`CUSTODY_RECORD_QUERIES=1`) rewrites the copy; CI never sets it.
@Suite struct BuiltInQueriesTests {
    static let queries = CustodyProcess.repositoryRoot.appendingPathComponent("queries")
    static let source = CustodyProcess.repositoryRoot.appendingPathComponent("Sources/CustodyQuery/NamedQueries/BuiltInQueries.swift")

    @Test func builtInCopyMatchesTheFiles() throws {
        let files = QueryCatalog.files(in: Self.queries.path)
        #expect(!files.isEmpty)
        let expected = Self.render(files)
        if ProcessInfo.processInfo.environment["CUSTODY_RECORD_QUERIES"] == "1" {
            try expected.write(to: Self.source, atomically: true, encoding: .utf8)
            Issue.record("recorded \(Self.source.path); rebuild and run again without CUSTODY_RECORD_QUERIES")
            return
        }
        let current = try String(contentsOf: Self.source, encoding: .utf8)
        #expect(current == expected, "queries/ changed: run CUSTODY_RECORD_QUERIES=1 swift test --filter BuiltInQueriesTests")
        #expect(BuiltInQueries.files.map(\.0) == files.map(\.0))
        #expect(BuiltInQueries.files.map(\.1) == files.map(\.1))
    }

    static func render(_ files: [(String, String)]) -> String {
        var out = """
            // Generated from queries/ by Tests/CustodyQueryTests/BuiltInQueriesTests.swift; do not edit.
            // After changing a file under queries/, run:
            //   CUSTODY_RECORD_QUERIES=1 swift test --filter BuiltInQueriesTests

            /// The repository's named queries, compiled in so that an installed binary has them with no
            /// files beside it (SwiftPM resources must live inside a target, and `queries/` is top level
            /// by design). Files found on disk take precedence (`QueryCatalog`); a test keeps this copy
            /// identical to `queries/`.
            enum BuiltInQueries {
                static let files: [(String, String)] = [

            """
        for (path, text) in files {
            out += "        (\"\(path)\", #\"\"\"\n\(text)\n\"\"\"#),\n"
        }
        return out + "    ]\n}\n"
    }
}
