import Foundation
import Testing
@testable import CustodyStore

/// The temporary directory SQLite would use, in its own order of preference: a connection
/// moves its journals to a file only when there is one.
@Suite struct SQLiteTemporaryDirectoryTests {
    @Test func followsSQLitesOrderAndSkipsWhatIsNoDirectory() throws {
        let directory = (temporaryDatabasePath() as NSString).deletingLastPathComponent
        let notADirectory = directory + "/plain-file"
        #expect(FileManager.default.createFile(atPath: notADirectory, contents: Data("x".utf8)))

        #expect(SQLiteTemporaryDirectory.find(environment: ["SQLITE_TMPDIR": directory, "TMPDIR": "/tmp"]) == directory)
        // A missing directory and a plain file are passed over for the next candidate.
        #expect(SQLiteTemporaryDirectory.find(environment: ["SQLITE_TMPDIR": directory + "/missing", "TMPDIR": directory]) == directory)
        #expect(SQLiteTemporaryDirectory.find(environment: ["SQLITE_TMPDIR": notADirectory, "TMPDIR": directory]) == directory)
        // Without either variable, the fixed list: this machine has /var/tmp or /tmp.
        let fallback = SQLiteTemporaryDirectory.find(environment: [:])
        #expect(fallback == "/var/tmp" || fallback == "/usr/tmp" || fallback == "/tmp")
    }
}
