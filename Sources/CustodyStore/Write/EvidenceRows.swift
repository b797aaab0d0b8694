import CustodyCore
import GRDBSQLite

/// Evidence links (`node_evidence_extra`, `edge_evidence_extra`) as `custody_batch_evidence`
/// rows, sorted by the tables' primary key. A fleet group writes ≈ 80,000 of them, and the
/// SQLite side of each (a probe and an insert into a `WITHOUT ROWID` B-tree) is fixed: what is
/// saved here is Swift's. Links are plain records whose locations are ranges of the group's
/// `LocationText` (read as `NodeRows` and `EdgeRows` read theirs), so sorting moves small
/// records and reading a column touches no string (a closure and a tuple of strings per
/// column call took a fifth of the links' time).
final class EvidenceRows: BatchRows {
    /// One link. `position`, the order links were added in, breaks ties like a stable sort
    /// would.
    struct Link {
        var subject: Int64
        var documentID: Int64
        var location: LocationRange
        var position: Int32
    }

    /// Links in the order they are added, before `sorted`: written straight into the buffer
    /// the rows are read from and sorted there, so the largest group (derived workload facts
    /// after 50 snapshots: 810,000 links) holds one copy of them, not three (a growing
    /// array, its sorted copy and the buffer), which was 60 MB of the Kubernetes benchmark's
    /// peak.
    final class Builder {
        private var links: UnsafeMutableBufferPointer<Link>
        private var count = 0
        private let locations: LocationText

        /// `capacity`: how many links at most (appending more is a programming error);
        /// `locations`: the text of every link's location.
        init(capacity: Int, locations: LocationText) {
            links = .allocate(capacity: max(capacity, 1))
            self.locations = locations
        }

        deinit {
            links.deallocate()
        }

        var isEmpty: Bool { count == 0 }

        func append(subject: Int64, documentID: Int64, location: LocationRange) {
            precondition(count < links.count, "EvidenceRows.Builder: more links than its capacity")
            (links.baseAddress! + count).initialize(to: Link(subject: subject, documentID: documentID, location: location,
                                                             position: Int32(count)))
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
            let rows = EvidenceRows(links: links, count: count, locations: locations)
            links = .allocate(capacity: 1)
            count = 0
            return rows
        }
    }

    /// All of the builder's buffer (deallocated with the rows); the first `rowCount` are links.
    private let storage: UnsafeMutableBufferPointer<Link>
    private let links: UnsafeMutableBufferPointer<Link>
    private let locations: LocationText

    private init(links: UnsafeMutableBufferPointer<Link>, count: Int, locations: LocationText) {
        storage = links
        self.links = UnsafeMutableBufferPointer(rebasing: links[..<count])
        self.locations = locations
    }

    deinit {
        storage.deallocate()
    }

    override var rowCount: Int { links.count }

    override func result(row: Int, column: Int32, context: OpaquePointer) {
        let link = links[row]
        switch column {
        case 0: sqlite3_result_int64(context, link.subject)
        case 1: sqlite3_result_int64(context, link.documentID)
        default: ResultValue.text(context, link.location, of: locations)
        }
    }
}
