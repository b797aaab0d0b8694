import CustodyCore
import Foundation

/// Parsed image IDs and references shared by every document of the process.
///
/// `KubernetesImageCache` lives for one document, but successive snapshots of a cluster
/// name the same few thousand images: parsing them again for every snapshot was ~4 % of a
/// 50-snapshot ingest. The values depend only on the text, so sharing them cannot change a
/// fact. Bounded: past `capacity` entries a table is emptied and starts over, so crafted input
/// with millions of distinct image IDs costs parsing time, not memory.
final class KubernetesImageMemo: @unchecked Sendable {
    static let shared = KubernetesImageMemo()

    /// Entries per table before it is emptied.
    static let capacity = 50_000

    private let lock = NSLock()
    private var imageIDs: [String: KubernetesPod.Running] = [:]
    private var references: [String: ImageReference?] = [:]

    /// The classification of `imageID`, computed by `parse` the first time it is seen.
    func running(_ imageID: String, parse: () -> KubernetesPod.Running) -> KubernetesPod.Running {
        if let known = lock.withLock({ imageIDs[imageID] }) { return known }
        let value = parse()
        lock.withLock {
            if imageIDs.count >= Self.capacity { imageIDs.removeAll() }
            imageIDs[imageID] = value
        }
        return value
    }

    /// The reference `text` names (nil when unreadable), computed by `parse` the first time.
    func reference(_ text: String, parse: () -> ImageReference?) -> ImageReference? {
        if let known = lock.withLock({ references[text] }) { return known }
        let value = parse()
        lock.withLock {
            if references.count >= Self.capacity { references.removeAll() }
            references[text] = value
        }
        return value
    }
}
