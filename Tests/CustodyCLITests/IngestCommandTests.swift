import Foundation
import Testing

@Suite struct IngestCommandTests {
    static let juiceShop = CLI.shared.appendingPathComponent("fixtures/sbom/cyclonedx/juice-shop-11.1.2.cyclonedx-npm.cdx-1.4.json")
    static let sbomDirectory = CLI.shared.appendingPathComponent("fixtures/sbom")

    @Test func ingestsEveryFixtureSBOMThenSameBytesAreANoOp() throws {
        let db = CLI.temporaryDatabase()
        let first = try CLI.run(["ingest", Self.sbomDirectory.path, "--db", db])
        #expect(first.status == 0, "\(first.stderr)")
        let files = try FileManager.default.subpathsOfDirectory(atPath: Self.sbomDirectory.path)
            .filter { !$0.hasSuffix("/") && !FileManager.default.directoryExists(Self.sbomDirectory.appendingPathComponent($0).path) }
        #expect(first.stdout.contains("\(files.count) new, 0 already present, 0 rejected"), "\(first.stdout)")

        let again = try CLI.run(["ingest", Self.sbomDirectory.path, "--db", db])
        #expect(again.status == 0)
        #expect(again.stdout.contains("0 new, \(files.count) already present, 0 rejected; 0 nodes and 0 edges added"), "\(again.stdout)")
    }

    @Test func standardInputAndGzipAreRead() throws {
        let db = CLI.temporaryDatabase()
        let bytes = try Data(contentsOf: Self.juiceShop)
        let fromStdin = try CLI.run(["ingest", "-", "--db", db], stdin: bytes)
        #expect(fromStdin.status == 0, "\(fromStdin.stderr)")
        #expect(fromStdin.stdout.contains("1 new"))

        // The same document gzip'd is the same evidence (content-addressed after decompression).
        let directory = URL(fileURLWithPath: db).deletingLastPathComponent()
        let gz = directory.appendingPathComponent("bom.json.gz")
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "gzip -c '\(Self.juiceShop.path)' > '\(gz.path)'"]
        try gzip.run()
        gzip.waitUntilExit()
        let fromGzip = try CLI.run(["ingest", gz.path, "--db", db])
        #expect(fromGzip.status == 0)
        #expect(fromGzip.stdout.contains("0 new, 1 already present"), "\(fromGzip.stdout)")
    }

    /// Diagnostics name their place the usual way: a JSON pointer after `#`, a line after `:`.
    @Test func diagnosticLocationsAreReadable() throws {
        let db = CLI.temporaryDatabase()
        let tagValue = CLI.shared.appendingPathComponent("fixtures/sbom/spdx/cosign-gomod.spdx-sbom-generator-0.0.1.spdx").path
        let json = CLI.shared.appendingPathComponent("fixtures/sbom/spdx/conda.trivy.spdx-2.3.json").path
        let result = try CLI.run(["ingest", tagValue, json, "--db", db])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("info: \(tagValue):11: the document describes \"github.com/sigstore/cosign ddd9132\""), "\(result.stderr)")
        #expect(result.stderr.contains("warning: \(tagValue):61: component github.com/google/go-containerregistry@v0.5.1 has no purl"))
        #expect(result.stderr.contains("info: \(json)#/packages/"), "\(result.stderr)")
        #expect(!result.stderr.contains(".spdxline"))
    }

    @Test func formatOverrideAndUnknownFormat() throws {
        let db = CLI.temporaryDatabase()
        let forced = try CLI.run(["ingest", "--format", "spdx-json", Self.juiceShop.path, "--db", db])
        #expect(forced.status == 3, "a CycloneDX file read as SPDX must be rejected, not misread")
        let unknown = try CLI.run(["ingest", "--format", "nope", Self.juiceShop.path, "--db", db])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown format nope"))
    }

    @Test func missingPathIsRejectedOthersStillIngest() throws {
        let db = CLI.temporaryDatabase()
        let result = try CLI.run(["ingest", "/nonexistent/file.json", Self.juiceShop.path, "--db", db])
        #expect(result.status == 3)
        #expect(result.stderr.contains("/nonexistent/file.json"))
        #expect(result.stdout.contains("1 new, 0 already present, 1 rejected"))
    }

    @Test func ingestorsListsFormatsWithWhatTheyEmit() throws {
        let result = try CLI.run(["ingestors"])
        #expect(result.status == 0)
        for id in ["cyclonedx-json", "cyclonedx-xml", "spdx-json", "spdx-tag-value", "spdx3-jsonld"] {
            #expect(result.stdout.contains(id), "\(id) missing from: \(result.stdout)")
        }
        #expect(result.stdout.contains("package"))
    }

    /// Responders start several ingests at once, often on a case that does not exist yet:
    /// each must wait for the others (creating the case, writing) and store its document.
    @Test func ingestsStartedTogetherOnANewCaseAllStore() throws {
        let fixtures = ["cyclonedx/juice-shop-11.1.2.cyclonedx-npm.cdx-1.4.json", "cyclonedx/mongo.syft-0.58.0.cdx-1.4.json",
                        "spdx/conda.trivy.spdx-2.3.json", "spdx/hello-server.k8s-bom.spdx-2.3.json"]
            .map { Self.sbomDirectory.appendingPathComponent($0).path }
        for _ in 0..<3 {
            let db = CLI.temporaryDatabase()
            let results = LockedResults(count: fixtures.count)
            DispatchQueue.concurrentPerform(iterations: fixtures.count) { index in
                results.set(index, Result { try CLI.run(["ingest", fixtures[index], "--db", db]) })
            }
            for result in results.all {
                let run = try result.get()
                #expect(run.status == 0, "\(run.stderr)")
            }
            let stats = try CLI.run(["stats", "--db", db, "--format", "csv"])
            #expect(stats.stdout.contains("documents,\(fixtures.count)"), "\(stats.stdout)")
        }
    }

    @Test func databaseFromEnvironmentAndNewerSchemaRefused() throws {
        let db = CLI.temporaryDatabase()
        let viaEnv = try CLI.run(["ingest", Self.juiceShop.path], environment: ["CUSTODY_DB": db])
        #expect(viaEnv.status == 0)
        #expect(FileManager.default.fileExists(atPath: db))
        let stats = try CLI.run(["stats", "--format", "csv"], environment: ["CUSTODY_DB": db])
        #expect(stats.stdout.contains("documents,1"), "\(stats.stdout)")
    }
}

extension FileManager {
    func directoryExists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}

/// Results of concurrent runs, by index.
final class LockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<CLIResult, any Error>]
    init(count: Int) { results = Array(repeating: .failure(CLIError("not run")), count: count) }
    func set(_ index: Int, _ result: Result<CLIResult, any Error>) { lock.withLock { results[index] = result } }
    var all: [Result<CLIResult, any Error>] { lock.withLock { results } }
}
