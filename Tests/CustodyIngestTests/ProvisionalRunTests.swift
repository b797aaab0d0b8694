import CustodyCore
import CustodyIngest
import CustodyStore
import Foundation
import Testing

/// A GitHub log ingested without its run record marks the run `incomplete=true`, with times
/// from its first and last lines; the record, ingested later, earlier or in the same run,
/// completes it. The F-codecov scenario's run 9400000002, its log copied without `run.json`.
@Suite("Provisional run attributes")
struct ProvisionalRunTests {
    static let run = "github:acme/billing-service/9400000002"
    static let source = SharedFixtures.scenario("F-codecov/gha/9400000002")

    /// `<tmp>/9400000002/logs/0_test.txt` (no run record beside it) and `<tmp>/record/run.json`.
    static func split() throws -> (log: String, record: String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("custody-provisional-\(UUID().uuidString)")
        let logs = root.appendingPathComponent("9400000002/logs")
        let record = root.appendingPathComponent("record")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: record, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source.appendingPathComponent("logs/0_test.txt"), to: logs.appendingPathComponent("0_test.txt"))
        try FileManager.default.copyItem(at: source.appendingPathComponent("run.json"), to: record.appendingPathComponent("run.json"))
        return (logs.appendingPathComponent("0_test.txt").path, record.appendingPathComponent("run.json").path)
    }

    static func attribute(_ database: CaseDatabase, _ name: String) throws -> String? {
        try CITest.attribute(database, .run, run, name)
    }

    /// What the record says, and no marker.
    static func expectComplete(_ database: CaseDatabase, _ comment: Comment) throws {
        #expect(try attribute(database, "incomplete") == nil, comment)
        #expect(try attribute(database, "started_at") == "2021-02-15T10:00:01Z", comment)
        #expect(try attribute(database, "completed_at") == "2021-02-15T10:01:34Z", comment)
        // Keys only the log has stay.
        #expect(try attribute(database, "runner_version") != nil, comment)
    }

    @Test func logAloneIsProvisional() throws {
        let (log, _) = try Self.split()
        let (pipeline, database) = try CITest.pipeline()
        #expect(CITest.ingest([log], into: pipeline).allSatisfy { $0.rejections.isEmpty })
        #expect(try Self.attribute(database, "incomplete") == "true")
        #expect(try Self.attribute(database, "started_at")?.hasPrefix("2021-02-15T10:00:07") == true)
    }

    @Test func recordAfterTheLogCompletesTheRun() throws {
        let (log, record) = try Self.split()
        let (pipeline, database) = try CITest.pipeline()
        CITest.ingest([log, record], into: pipeline)
        try Self.expectComplete(database, "log, then record")
    }

    @Test func logAfterTheRecordAddsNoMarker() throws {
        let (log, record) = try Self.split()
        let (pipeline, database) = try CITest.pipeline()
        CITest.ingest([record, log], into: pipeline)
        try Self.expectComplete(database, "record, then log")
    }

    @Test(arguments: [false, true])
    func oneIngestOfBoth(recordFirst: Bool) throws {
        let (log, record) = try Self.split()
        let (pipeline, database) = try CITest.pipeline()
        let report = pipeline.run(paths: recordFirst ? [record, log] : [log, record])
        #expect(report.rejections.isEmpty)
        try Self.expectComplete(database, "one ingest, record first: \(recordFirst)")
    }

    @Test func mergeRule() {
        func merged(_ stored: [String: String], _ later: [String: String]) -> [String: String] {
            var attributes = stored
            NodeAttributes.merge(later, into: &attributes)
            return attributes
        }
        let provisional = ["incomplete": "true", "started_at": "log", "runner": "2.277"]
        let complete = ["started_at": "record", "status": "completed"]
        #expect(merged(provisional, complete) == ["started_at": "record", "status": "completed", "runner": "2.277"])
        #expect(merged(complete, provisional) == ["started_at": "record", "status": "completed", "runner": "2.277"])
        #expect(merged(provisional, ["incomplete": "true", "started_at": "other log", "job": "x"])
            == ["incomplete": "true", "started_at": "log", "runner": "2.277", "job": "x"])
        #expect(merged(complete, ["started_at": "later", "conclusion": "success"])
            == ["started_at": "record", "status": "completed", "conclusion": "success"])
        #expect(merged([:], provisional) == provisional)
        #expect(merged(provisional, [:]) == provisional)
    }
}
