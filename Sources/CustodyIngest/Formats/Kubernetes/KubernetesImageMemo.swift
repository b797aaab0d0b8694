import CustodyCore
import Foundation

/// Parsed image IDs and references shared by every document of the process.
///
/// Successive snapshots of a cluster name the same few thousand images: parsing them again
/// for every snapshot was ~4 % of a 50-snapshot ingest. The values depend only on the text,
/// so sharing them cannot change a fact. Bounded: past `capacity` entries a table is emptied
/// and starts over, so crafted input with millions of distinct image IDs costs parsing time,
/// not memory.
final class KubernetesImageMemo: @unchecked Sendable {
    static let shared = KubernetesImageMemo()

    /// Entries per table before it is emptied.
    static let capacity = 50_000

    private let lock = NSLock()
    private var imageIDs: [String: KubernetesPod.Running] = [:]
    private var references: [String: ImageReference?] = [:]

    /// The classification of `imageID`, computed by `parse` the first time it is seen.
    func running(_ imageID: String, parse: () -> KubernetesPod.Running) -> KubernetesPod.Running {
        value(imageID, in: \.imageIDs, parse)
    }

    /// The reference `text` names (nil when unreadable), computed by `parse` the first time.
    func reference(_ text: String, parse: () -> ImageReference?) -> ImageReference? {
        value(text, in: \.references, parse)
    }

    /// `table[key]`, computed by `parse` (outside the lock) and kept when it is missing.
    private func value<Value>(_ key: String, in table: ReferenceWritableKeyPath<KubernetesImageMemo, [String: Value]>,
                              _ parse: () -> Value) -> Value {
        if let known = lock.withLock({ self[keyPath: table][key] }) { return known }
        let value = parse()
        lock.withLock {
            if self[keyPath: table].count >= Self.capacity { self[keyPath: table].removeAll() }
            self[keyPath: table][key] = value
        }
        return value
    }
}
