import GRDBSQLite

/// Evidence links (`node_evidence_extra`, `edge_evidence_extra`) as `custody_batch_evidence`
/// rows, sorted by the tables' primary key. A fleet group writes ≈ 80,000 of them: sorting
/// small plain records (the location by position) and reading columns without a closure or a
/// tuple copy per call took a third off the links' Swift side.
final class EvidenceRows: BatchRows {
    /// One link; `position`: where its location is in `locations`, and the order links were
    /// added in, which breaks ties like a stable sort would.
    struct Link {
        var subject: Int64
        var documentID: Int64
        var position: Int32
    }

    /// Links in the order they are added, before `sorted`.
    struct Builder {
        fileprivate var links: [Link] = []
        fileprivate var locations: [String?] = []

        init(capacity: Int) {
            links.reserveCapacity(capacity)
            locations.reserveCapacity(capacity)
        }

        var isEmpty: Bool { links.isEmpty }

        mutating func append(subject: Int64, documentID: Int64, location: String?) {
            links.append(Link(subject: subject, documentID: documentID, position: Int32(locations.count)))
            locations.append(location)
        }

        /// The rows, by subject, then document, then the order added.
        consuming func sorted() -> EvidenceRows {
            links.sort { a, b in
                if a.subject != b.subject { return a.subject < b.subject }
                if a.documentID != b.documentID { return a.documentID < b.documentID }
                return a.position < b.position
            }
            return EvidenceRows(links: links, locations: locations)
        }
    }

    private let links: [Link]
    private let locations: [String?]

    private init(links: [Link], locations: [String?]) {
        self.links = links
        self.locations = locations
    }

    override var rowCount: Int { links.count }

    override func result(row: Int, column: Int32, context: OpaquePointer) {
        switch column {
        case 0: sqlite3_result_int64(context, links[row].subject)
        case 1: sqlite3_result_int64(context, links[row].documentID)
        default: ResultValue.text(context, locations[Int(links[row].position)])
        }
    }
}
