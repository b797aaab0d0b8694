import CustodyCore
import GRDBSQLite

/// Nodes of a batch as `custody_batch_nodes` rows: the columns of `nodes` (see `FactRows`
/// for ids and order). SQLite reads a row column by column, so each row's derived values
/// (attribute JSON, purl parts) are worked out once, on the first column that needs them;
/// a lookup that reads only kind and key never computes them.
final class NodeRows: FactRows {
    /// The columns, in this order, of `nodes` and of the batch table.
    static let columns = "id, kind, key, attrs, document_id, location, purl_type, purl_namespace, purl_name, purl_version"
    static let schema = "CREATE TABLE x(\(columns))"
    let nodes: [NodeFact]
    let locations: LocationText
    private var cachedRow = -1
    private var attributes: String?
    private var package: PackageColumns?
    private var memo = AttributeJSON.Memo()

    init(_ nodes: [NodeFact], locations: LocationText, order: [Int32], firstID: Int64 = 1, documents: DocumentColumn,
         appends: Bool = false) {
        self.nodes = nodes
        self.locations = locations
        super.init(order: order, firstID: firstID, documents: documents, appends: appends)
    }

    override func result(row: Int, column: Int32, context: OpaquePointer) {
        let index = Int(order[row])
        if column >= 3, cachedRow != row {
            cachedRow = row
            attributes = memo.encode(nodes[index].attributes)
            package = FactColumns.package(of: nodes[index])
        }
        switch column {
        case 0: resultID(row: row, context: context)
        case 1: StaticNames.nodeKinds.result(context, nodes[index].ref.kind)
        case 2: ResultValue.text(context, nodes[index].ref.key)
        case 3: ResultValue.text(context, attributes)
        case 4: ResultValue.int64(context, documents[index])
        case 5: ResultValue.text(context, documents[index] == nil ? .none : nodes[index].location, of: locations)
        case 6: ResultValue.text(context, package?.type)
        case 7: ResultValue.text(context, package?.namespace)
        case 8: ResultValue.text(context, package?.name)
        default: ResultValue.text(context, package?.version)
        }
    }
}

/// Edges of a batch as `custody_batch_edges` rows: the columns of `edges`, with `src`/`dst`
/// the stored ids of the batch nodes (`nodeIDs`, by batch index); see `FactRows`.
final class EdgeRows: FactRows {
    /// The columns, in this order, of `edges` and of the batch table.
    static let columns = "id, kind, src, dst, qualifier, first_seen, last_seen, certainty, attrs, document_id, location"
    static let schema = "CREATE TABLE x(\(columns))"
    let edges: [EdgeFact]
    let locations: LocationText
    let nodeIDs: [Int64]
    private var memo = AttributeJSON.Memo()

    init(_ edges: [EdgeFact], locations: LocationText, nodeIDs: [Int64], order: [Int32], firstID: Int64, documents: DocumentColumn,
         appends: Bool = false) {
        self.edges = edges
        self.locations = locations
        self.nodeIDs = nodeIDs
        super.init(order: order, firstID: firstID, documents: documents, appends: appends)
    }

    override func result(row: Int, column: Int32, context: OpaquePointer) {
        let index = Int(order[row])
        switch column {
        case 0: resultID(row: row, context: context)
        case 1: StaticNames.edgeKinds.result(context, edges[index].kind)
        case 2: sqlite3_result_int64(context, nodeIDs[Int(edges[index].from)])
        case 3: sqlite3_result_int64(context, nodeIDs[Int(edges[index].to)])
        case 4: ResultValue.text(context, edges[index].qualifier)
        case 5: ResultValue.int64(context, edges[index].firstSeen?.nanosecondsSinceEpoch)
        case 6: ResultValue.int64(context, edges[index].lastSeen?.nanosecondsSinceEpoch)
        case 7: StaticNames.certainties.result(context, edges[index].certainty)
        case 8: ResultValue.text(context, edges[index].attributes.isEmpty ? nil : memo.encode(edges[index].attributes))
        case 9: ResultValue.int64(context, documents[index])
        default: ResultValue.text(context, documents[index] == nil ? .none : edges[index].location, of: locations)
        }
    }
}

/// Column lists of the batch tables whose rows are `ListRows`.
enum ListColumns {
    /// `custody_batch_evidence`: the columns of `node_evidence_extra` and `edge_evidence_extra`
    /// (the fact's stored id first).
    static let evidence = "subject, document_id, location"
    /// `custody_batch_widened`: new interval ends and certainty of stored edges.
    static let widened = "id, first_seen, last_seen, certainty"
}

/// Rows of plain values, in the order given, each column set by `column` (widened intervals).
final class ListRows<Row>: BatchRows {
    let rows: [Row]
    private let column: (Row, Int32, OpaquePointer) -> Void

    init(_ rows: [Row], column: @escaping (Row, Int32, OpaquePointer) -> Void) {
        self.rows = rows
        self.column = column
    }

    override var rowCount: Int { rows.count }

    override func result(row: Int, column index: Int32, context: OpaquePointer) {
        column(rows[row], index, context)
    }
}

/// `sqlite3_result_*` for optional Swift values. Text is copied by SQLite into the register
/// it already owns (no allocation once the register is large enough).
enum ResultValue {
    static func text(_ context: OpaquePointer, _ text: String?) {
        guard var text else { return sqlite3_result_null(context) }
        // Most edges' qualifier: no copy of the string (and no retain) to learn it is empty.
        if text.isEmpty { return sqlite3_result_text(context, "", 0, nil) }
        text.withUTF8 { Self.text(context, utf8: $0) }
    }

    /// A fact's location (NULL for `.none`).
    static func text(_ context: OpaquePointer, _ location: LocationRange, of locations: LocationText) {
        if locations.withUTF8(location, { text(context, utf8: $0) }) == nil { sqlite3_result_null(context) }
    }

    /// Text from UTF-8 bytes SQLite copies (a fact's location in its `LocationText`).
    static func text(_ context: OpaquePointer, utf8 buffer: UnsafeBufferPointer<UInt8>) {
        // A null pointer would make SQL NULL, not the empty string.
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return sqlite3_result_text(context, "", 0, nil) }
        sqlite3_result_text(context, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(buffer.count), transient)
    }

    static func int64(_ context: OpaquePointer, _ value: Int64?) {
        if let value { sqlite3_result_int64(context, value) } else { sqlite3_result_null(context) }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
