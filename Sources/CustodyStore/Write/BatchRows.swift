import CustodyCore
import GRDBSQLite

/// Nodes of a batch as `custody_batch_nodes` rows: the columns of `nodes`, `id` counting up
/// from `firstID`, plus `batch_index` (the node's index in the batch). `only` limits the rows
/// to some nodes (those that are new, in batch order). SQLite reads a row column by column,
/// so each row's values are worked out once, on its first column.
final class NodeRows: BatchRows {
    static let schema = """
        CREATE TABLE x(id, kind, key, attrs, document_id, location, purl_type, purl_namespace, purl_name, purl_version, batch_index)
        """
    let nodes: [NodeFact]
    let only: [Int32]?
    let firstID: Int64
    let documentID: Int64?
    private var cachedRow = -1
    private var attributes: String?
    private var package: PackageColumns?
    private var memo = AttributeJSON.Memo()

    init(_ nodes: [NodeFact], only: [Int32]? = nil, firstID: Int64 = 1, documentID: Int64?) {
        self.nodes = nodes
        self.only = only
        self.firstID = firstID
        self.documentID = documentID
    }

    override var count: Int { only?.count ?? nodes.count }

    override func result(row: Int, column: Int32, context: OpaquePointer) {
        let index = only.map { Int($0[row]) } ?? row
        if cachedRow != row {
            cachedRow = row
            attributes = memo.encode(nodes[index].attributes)
            package = nodes[index].ref.kind == .package ? FactColumns.package(of: nodes[index]) : nil
        }
        switch column {
        case 0: sqlite3_result_int64(context, firstID + Int64(row))
        case 1: ResultValue.text(context, nodes[index].ref.kind.rawValue)
        case 2: ResultValue.text(context, nodes[index].ref.key)
        case 3: ResultValue.text(context, attributes)
        case 4: ResultValue.int64(context, documentID)
        case 5: ResultValue.text(context, documentID == nil ? nil : nodes[index].location)
        case 6: ResultValue.text(context, package?.type)
        case 7: ResultValue.text(context, package?.namespace)
        case 8: ResultValue.text(context, package?.name)
        case 9: ResultValue.text(context, package?.version)
        default: sqlite3_result_int64(context, Int64(index))
        }
    }
}

/// Edges of a batch as `custody_batch_edges` rows: the columns of `edges` with `src`/`dst`
/// mapped through `nodeIDs` (the stored id of each batch node), `id` counting up from
/// `firstID`, plus `batch_index`. `only` limits the rows to some edges.
final class EdgeRows: BatchRows {
    static let schema = """
        CREATE TABLE x(id, kind, src, dst, qualifier, first_seen, last_seen, certainty, attrs, document_id, location, batch_index)
        """
    let edges: [EdgeFact]
    let nodeIDs: NodeIDs
    let only: [Int32]?
    let firstID: Int64
    let documentID: Int64?
    private var memo = AttributeJSON.Memo()

    /// Stored ids of batch nodes: `offset + index` after a bulk load, else looked up.
    enum NodeIDs {
        case offset(Int64)
        case table([Int64])

        func id(_ local: LocalNodeID) -> Int64 {
            switch self {
            case let .offset(first): first + Int64(local)
            case let .table(ids): ids[Int(local)]
            }
        }
    }

    init(_ edges: [EdgeFact], nodeIDs: NodeIDs, only: [Int32]? = nil, firstID: Int64 = 1, documentID: Int64?) {
        self.edges = edges
        self.nodeIDs = nodeIDs
        self.only = only
        self.firstID = firstID
        self.documentID = documentID
    }

    override var count: Int { only?.count ?? edges.count }

    override func result(row: Int, column: Int32, context: OpaquePointer) {
        let index = only.map { Int($0[row]) } ?? row
        switch column {
        case 0: sqlite3_result_int64(context, firstID + Int64(row))
        case 1: ResultValue.text(context, edges[index].kind.rawValue)
        case 2: sqlite3_result_int64(context, nodeIDs.id(edges[index].from))
        case 3: sqlite3_result_int64(context, nodeIDs.id(edges[index].to))
        case 4: ResultValue.text(context, edges[index].qualifier)
        case 5: ResultValue.int64(context, edges[index].firstSeen?.nanosecondsSinceEpoch)
        case 6: ResultValue.int64(context, edges[index].lastSeen?.nanosecondsSinceEpoch)
        case 7: ResultValue.text(context, edges[index].certainty.rawValue)
        case 8: ResultValue.text(context, edges[index].attributes.isEmpty ? nil : memo.encode(edges[index].attributes))
        case 9: ResultValue.int64(context, documentID)
        case 10: ResultValue.text(context, documentID == nil ? nil : edges[index].location)
        default: sqlite3_result_int64(context, Int64(index))
        }
    }
}

/// `sqlite3_result_*` for optional Swift values. Text is copied by SQLite into the register
/// it already owns (no allocation once the register is large enough).
enum ResultValue {
    static func text(_ context: OpaquePointer, _ text: String?) {
        guard var text else { return sqlite3_result_null(context) }
        text.withUTF8 { buffer in
            // A null pointer would make SQL NULL, not the empty string.
            guard let base = buffer.baseAddress, !buffer.isEmpty else { return sqlite3_result_text(context, "", 0, nil) }
            sqlite3_result_text(context, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(buffer.count), transient)
        }
    }

    static func int64(_ context: OpaquePointer, _ value: Int64?) {
        if let value { sqlite3_result_int64(context, value) } else { sqlite3_result_null(context) }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
