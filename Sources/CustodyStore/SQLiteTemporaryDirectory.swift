import Foundation

/// Where SQLite would put a temporary file, found the way its Unix VFS looks
/// (`unixTempFileDir`: `SQLITE_TMPDIR`, `TMPDIR`, `/var/tmp`, `/usr/tmp`, `/tmp`, `.`; the
/// first that is a directory this process may write and search). With none, SQLite fails the
/// statement that needs one, so a connection only moves its journals out of memory
/// (`temp_store = FILE`) when this finds a directory: a locked-down machine keeps the old
/// behaviour instead of rejecting documents.
enum SQLiteTemporaryDirectory {
    static func find(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let candidates = [environment["SQLITE_TMPDIR"], environment["TMPDIR"], "/var/tmp", "/usr/tmp", "/tmp", "."]
        for case let directory? in candidates {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue,
                  access(directory, W_OK | X_OK) == 0 else { continue }
            return directory
        }
        return nil
    }

    /// Looked up once: the environment and these directories do not change during a run.
    static let isAvailable = find() != nil
}
