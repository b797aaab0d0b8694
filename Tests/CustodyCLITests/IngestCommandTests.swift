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
