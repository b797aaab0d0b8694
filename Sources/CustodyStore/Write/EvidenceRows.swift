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

    /// Links in the order they are added, before `sorted`.
    struct Builder {
        fileprivate var links: [Link] = []
        fileprivate var text: [UInt8] = []

        init(capacity: Int) {
            links.reserveCapacity(capacity)
        }

        var isEmpty: Bool { links.isEmpty }

        /// A link located at `location` of `locations`.
        mutating func append(subject: Int64, documentID: Int64, location: LocationRange, of locations: LocationText) {
            var link = Link(subject: subject, documentID: documentID, start: text.count, length: -1, position: Int32(links.count))
            locations.withUTF8(location) { utf8 in
                text.append(contentsOf: utf8)
                link.length = Int32(text.count - link.start)
            }
            links.append(link)
        }

        /// The rows, by subject, then document, then the order added.
        consuming func sorted() -> EvidenceRows {
            links.sort { a, b in
                if a.subject != b.subject { return a.subject < b.subject }
                if a.documentID != b.documentID { return a.documentID < b.documentID }
                return a.position < b.position
            }
            return EvidenceRows(links: links, text: text)
        }
    }

    private let links: UnsafeMutableBufferPointer<Link>
    private let text: UnsafeMutableBufferPointer<UInt8>

    private init(links: [Link], text: [UInt8]) {
        self.links = .allocate(capacity: links.count)
        _ = self.links.initialize(from: links)
        self.text = .allocate(capacity: text.count)
        _ = self.text.initialize(from: text)
    }

    deinit {
        links.deallocate()
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
