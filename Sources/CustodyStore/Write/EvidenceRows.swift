import CustodyCore
import GRDBSQLite

/// Evidence links (`node_evidence_extra`, `edge_evidence_extra`) as `custody_batch_evidence`
/// rows, sorted by the tables' primary key. A fleet group writes ≈ 80,000 of them, and the
/// SQLite side of each (a probe and an insert into a `WITHOUT ROWID` B-tree) is fixed: what is
/// saved here is Swift's. Locations are copied once into one byte buffer, so sorting moves
/// small plain records and reading a column touches no reference count (a closure and a tuple
/// of strings per column call took a fifth of the links' time).
final class EvidenceRows: BatchRows {
    /// One link; its location is `length` bytes at `start` of the text buffer (length -1:
    /// none). `position`, the order links were added in, breaks ties like a stable sort would.
    struct Link {
        var subject: Int64
        var documentID: Int64
        var start: Int
        var length: Int32
        var position: Int32
    }

    /// Links in the order they are added, before `sorted`: written straight into the buffer
    /// the rows are read from and sorted there, so the largest group (derived workload facts
    /// after 50 snapshots: 810,000 links) holds one copy of them, not three (a growing
    /// array, its sorted copy and the buffer), which was 60 MB of the Kubernetes benchmark's
    /// peak. A link at the same location as the previous one shares its bytes.
    final class Builder {
        fileprivate var links: UnsafeMutableBufferPointer<Link>
        fileprivate var count = 0
        fileprivate var text: [UInt8] = []
        private var lastLocation: (range: LocationRange, start: Int, length: Int32)?

        /// `capacity`: how many links at most (appending more is a programming error).
        init(capacity: Int) {
            links = .allocate(capacity: max(capacity, 1))
        }

        deinit {
            links.deallocate()
        }

        var isEmpty: Bool { count == 0 }

        /// A link located at `location` of `locations` (the same `LocationText` for every link
        /// of a builder).
        func append(subject: Int64, documentID: Int64, location: LocationRange, of locations: LocationText) {
            precondition(count < links.count, "EvidenceRows.Builder: more links than its capacity")
            var link = Link(subject: subject, documentID: documentID, start: text.count, length: -1, position: Int32(count))
            if let last = lastLocation, last.range == location {
                (link.start, link.length) = (last.start, last.length)
            } else {
                locations.withUTF8(location) { utf8 in
                    text.append(contentsOf: utf8)
                    link.length = Int32(text.count - link.start)
                }
                lastLocation = (location, link.start, link.length)
            }
            (links.baseAddress! + count).initialize(to: link)
            count += 1
        }

        /// Hands the buffer over to the rows: the builder is empty afterwards.
        func sorted() -> EvidenceRows {
            var filled = UnsafeMutableBufferPointer(rebasing: links[..<count])
            filled.sort { a, b in
                if a.subject != b.subject { return a.subject < b.subject }
                if a.documentID != b.documentID { return a.documentID < b.documentID }
                return a.position < b.position
            }
            let rows = EvidenceRows(links: links, count: count, text: text)
            links = .allocate(capacity: 1)
            count = 0
            text = []
            lastLocation = nil
            return rows
        }
    }

    /// All of the builder's buffer (deallocated with the rows); the first `rowCount` are links.
    private let storage: UnsafeMutableBufferPointer<Link>
    private let links: UnsafeMutableBufferPointer<Link>
    private let text: UnsafeMutableBufferPointer<UInt8>

    private init(links: UnsafeMutableBufferPointer<Link>, count: Int, text: [UInt8]) {
        storage = links
        self.links = UnsafeMutableBufferPointer(rebasing: links[..<count])
        self.text = .allocate(capacity: text.count)
        _ = self.text.initialize(from: text)
    }

    deinit {
        storage.deallocate()
        text.deallocate()
    }

    override var rowCount: Int { links.count }

    override func result(row: Int, column: Int32, context: OpaquePointer) {
        let link = links[row]
        switch column {
        case 0: sqlite3_result_int64(context, link.subject)
        case 1: sqlite3_result_int64(context, link.documentID)
        default:
            if link.length < 0 { return sqlite3_result_null(context) }
            ResultValue.text(context, utf8: UnsafeBufferPointer(rebasing: text[link.start..<link.start + Int(link.length)]))
        }
    }
}
