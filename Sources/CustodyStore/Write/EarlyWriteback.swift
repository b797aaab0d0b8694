#if canImport(Glibc)
import Glibc
#endif

/// Starts the kernel writing a file's dirty pages to disk while SQLite is still busy with it,
/// so that the sync at commit has little left to do. A streamed first load writes ~90 MB into
/// a new case file in about a second; left to the commit, the sync of all of it took
/// 70–170 ms of the ingest on this machine's disk, after an early start a few ms.
///
/// Timing only: `sync_file_range` promises nothing about durability (SQLite's own sync at
/// commit does), and writing a transaction's pages before it commits is what SQLite's cache
/// spill does anyway. Does nothing where the call is missing or the file cannot be opened.
final class EarlyWriteback {
    private let descriptor: Int32

    init(path: String) {
        #if os(Linux)
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        #else
        descriptor = -1
        #endif
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Starts writing back whatever is dirty now; returns at once.
    func start() {
        #if os(Linux)
        guard descriptor >= 0 else { return }
        _ = glibcSyncFileRange(descriptor, 0, 0, Self.syncFileRangeWrite)
        #endif
    }

    /// `SYNC_FILE_RANGE_WRITE` (`<fcntl.h>`): start writeback of dirty pages, do not wait.
    private static let syncFileRangeWrite: UInt32 = 2
}

#if os(Linux)
/// glibc's `sync_file_range` (a GNU extension the Glibc module does not export).
@_silgen_name("sync_file_range")
private func glibcSyncFileRange(_ descriptor: Int32, _ offset: Int64, _ count: Int64, _ flags: UInt32) -> Int32
#endif
