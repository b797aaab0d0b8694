import CustodyCore
import Foundation
import GRDBSQLite

/// The raw values of a payload-free `String` enum (node and edge kinds, certainty) as C
/// strings that live as long as the process, handed to SQLite without a copy
/// (`SQLITE_STATIC`). A batch row's kind was its slowest column: `rawValue` is a call
/// through a switch, and the text was then copied into SQLite's register.
struct StaticRawValues<Kind: CaseIterable & RawRepresentable>: @unchecked Sendable where Kind.RawValue == String {
    private let texts: [(pointer: UnsafePointer<CChar>, count: Int32)]

    init() {
        // A payload-free enum of under 256 cases is stored as its position in `allCases`.
        precondition(MemoryLayout<Kind>.size == 1)
        texts = Kind.allCases.map { kind in
            let copy = strdup(kind.rawValue)!
            return (UnsafePointer(copy), Int32(strlen(copy)))
        }
    }

    /// Sets `kind`'s raw value as the result of a batch table column.
    @inline(__always)
    func result(_ context: OpaquePointer, _ kind: Kind) {
        let text = texts[Int(withUnsafeBytes(of: kind) { $0[0] })]
        sqlite3_result_text(context, text.pointer, text.count, nil)
    }
}

/// The enums whose raw values batch rows write.
enum StaticNames {
    static let nodeKinds = StaticRawValues<NodeKind>()
    static let edgeKinds = StaticRawValues<EdgeKind>()
    static let certainties = StaticRawValues<Certainty>()
}
