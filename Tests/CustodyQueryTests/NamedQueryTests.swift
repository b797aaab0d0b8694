import CustodyCore
import CustodyExport
import CustodyQuery
import CustodyStore
import Foundation
import Testing

/// Named queries: the header format, the catalog and where it looks, each shipped query on
/// the incident graph, and the limits.
@Suite struct NamedQueryTests {
    @Test func headerIsParsed() throws {
        let query = try NamedQuery(path: "registry/example.sql", text: """
            -- title: An example
            -- description: First line,
            -- description: second line.
            -- param: repository: the image repository
            -- param: since = 2025-01-01: a default
            SELECT :repository, :since;
            """, origin: "test")
        #expect(query.name == "example" && query.topic == "registry" && query.title == "An example")
        #expect(query.description == "First line, second line.")
        #expect(query.parameters.map(\.name) == ["repository", "since"])
        #expect(query.parameters[1].defaultValue == "2025-01-01")
        #expect(query.sql == "SELECT :repository, :since;")
        #expect(try query.arguments(["repository": "r"]) == ["repository": "r", "since": "2025-01-01"])
        #expect(throws: CustodyError.self) { try query.arguments([:]) }
        #expect(throws: CustodyError.self) { try query.arguments(["repository": "r", "bogus": "1"]) }
        #expect(throws: CustodyError.self) { try NamedQuery(path: "x.sql", text: "SELECT 1;", origin: "test") }
        #expect(throws: CustodyError.self) { try NamedQuery(path: "x.sql", text: "-- title: t\n", origin: "test") }
    }

    @Test func shippedQueriesAreBuiltInAndNamedUniquely() throws {
        let catalog = QueryCatalog(directories: [])
        let names = catalog.queries.map(\.name)
        for name in ["tag-history", "unsigned-running", "pushed-without-run", "runs-using-action", "images-with-package", "still-running"] {
            #expect(names.contains(name))
        }
        #expect(Set(names).count == names.count)
        #expect(catalog.queries.allSatisfy { $0.origin == "built-in" })
        #expect(try catalog.query(named: "registry/tag-history").parameters.map(\.name) == ["repository"])
        #expect(throws: CustodyError.self) { try catalog.query(named: "nope") }
    }

    @Test func filesOnDiskTakePrecedence() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("custody-queries-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("mine"), withIntermediateDirectories: true)
        try "-- title: Mine\nSELECT 1 AS one;\n".write(to: directory.appendingPathComponent("mine/tag-history.sql"), atomically: true, encoding: .utf8)
        try "no header".write(to: directory.appendingPathComponent("mine/broken.sql"), atomically: true, encoding: .utf8)
        let catalog = QueryCatalog(directories: [directory.path])
        #expect(try catalog.query(named: "tag-history").title == "Mine")
        #expect(catalog.problems.count == 1)
        #expect(QueryLocator.directories(flag: "/a", environment: ["CUSTODY_QUERIES": "/b:/c"], executable: nil) == ["/a", "/b", "/c"])
        // From a build directory inside a checkout, the checkout's queries/ is found.
        let checkout = CustodyProcess.repositoryRoot.path
        let found = QueryLocator.directories(flag: nil, environment: [:], executable: checkout + "/.build/debug/custody")
        #expect(found == [checkout + "/queries"])
    }

    @Test func shippedQueriesAnswerOnTheIncident() throws {
        let graph = try Incident.build()
        let catalog = QueryCatalog(directories: [])
        func run(_ name: String, _ parameters: [String: String] = [:], rowCap: Int = 100) throws -> NamedQueryResult {
            try NamedQueryRunner.run(try catalog.query(named: name), parameters: parameters, database: graph.database,
                                     limits: SQLLimits(timeLimit: .seconds(5), rowCap: rowCap))
        }
        func column(_ result: NamedQueryResult, _ name: String) -> [String?] {
            let index = result.columns.firstIndex(of: name) ?? 0
            return result.rows.map { $0[index].text }
        }
        let history = try run("tag-history", ["repository": "registry.acme.example/acme/app"])
        #expect(history.columns == ["tag", "digest", "from", "to", "pushed_by", "overwrite"])
        #expect(column(history, "digest") == [Incident.i1, Incident.i2, Incident.p])
        #expect(column(history, "overwrite") == ["0", "1", "0"])
        #expect(column(history, "pushed_by") == [Incident.ciBot, Incident.ciBot, Incident.mallory])
        #expect(column(history, "to") == ["2025-03-12T10:09:00Z", nil, nil])

        #expect(column(try run("pushed-without-run"), "digest") == [Incident.p])
        #expect(column(try run("unsigned-running"), "workload") == [Incident.api, Incident.worker])
        #expect(column(try run("still-running", ["digest": Incident.i2]), "workload") == [Incident.api])
        #expect(try run("still-running", ["digest": Incident.i1]).rows.isEmpty)
        #expect(column(try run("runs-using-action", ["action": "tj-actions/changed-files"]), "run") == [Incident.r1])
        #expect(column(try run("runs-using-action", ["action": Incident.codecov]), "sha") == [nil])
        #expect(column(try run("images-with-package", ["purl": "pkg:npm/debug"]), "digest") == [Incident.m1, Incident.i2, Incident.x])
        #expect(column(try run("tag-overwrites"), "digest") == [Incident.i2])

        let capped = try run("images-with-package", ["purl": "pkg:npm/debug"], rowCap: 1)
        #expect(capped.truncated && capped.rows.count == 1)
        let rendered = NamedQueryRendering.render(capped, format: .table)
        #expect(rendered.contains("row cap of 1"))
        #expect(NamedQueryRendering.render(capped, format: .json).contains("\"truncated\" : true"))
    }

    @Test func timeLimitStopsARunawayQuery() throws {
        let graph = try GraphFixture()
        let query = try NamedQuery(path: "x/forever.sql", text: """
            -- title: Never ends
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n;
            """, origin: "test")
        let error = #expect(throws: CustodyError.self) {
            try NamedQueryRunner.run(query, parameters: [:], database: graph.database,
                                     limits: SQLLimits(timeLimit: .milliseconds(100), rowCap: 10))
        }
        #expect(error?.message.contains("time limit") == true)
    }

    @Test func cli() throws {
        let graph = try Incident.build()
        let list = try CustodyProcess.run(["query", "--list", "--db", graph.path])
        #expect(list.status == 0 && list.stdout.contains("tag-history") && list.stdout.contains("repository=VALUE"))
        let json = try CustodyProcess.run(["query", "still-running", "--param", "digest=\(Incident.i2)", "--db", graph.path,
                                           "--format", "json"]).json()
        #expect((json["rows"] as? [[String: Any]])?.first?["workload"] as? String == Incident.api)
        #expect(json["truncated"] as? Bool == false)
        #expect(try CustodyProcess.run(["query", "still-running", "--param", "digest=sha256:00", "--db", graph.path]).status == 1)
        #expect(try CustodyProcess.run(["query", "still-running", "--db", graph.path]).status == 2)
        #expect(try CustodyProcess.run(["query", "still-running", "--param", "nope=1", "--param", "digest=x", "--db", graph.path]).status == 2)
        #expect(try CustodyProcess.run(["query", "no-such-query", "--db", graph.path]).status == 2)
        let capped = try CustodyProcess.run(["query", "images-with-package", "--param", "purl=pkg:npm/debug", "--max-rows", "1",
                                             "--db", graph.path])
        #expect(capped.status == 0 && capped.stderr.contains("--max-rows 1"))
    }
}
