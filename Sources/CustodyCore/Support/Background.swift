import Dispatch

/// Runs a closure on a global queue and waits for its value later: enough structure for one
/// piece of work overlapped with the caller's, without making the pipeline async.
public final class Background<Value: Sendable>: @unchecked Sendable {
    private let group = DispatchGroup()
    private var value: Value?

    public init(_ work: @escaping @Sendable () -> Value) {
        group.enter()
        DispatchQueue.global().async {
            self.value = work()
            self.group.leave()
        }
    }

    public func wait() -> Value {
        group.wait()
        return value!
    }
}
