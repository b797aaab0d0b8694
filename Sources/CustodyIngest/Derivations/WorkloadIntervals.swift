import CustodyCore

/// What one snapshot showed of one workload for one image (an `observed` edge, or several
/// merged when the workload's pods came through several ReplicaSets or Jobs).
struct WorkloadObservation: Sendable {
    var target: NodeRef
    var firstStart: Timestamp?
    /// Whether any pod with this image was still live (not Succeeded or Failed).
    var live: Bool
    /// Start times of the pods with this image.
    var starts: [Timestamp]
    /// Document ids.
    var evidence: [Int64]
}

/// The snapshots of a workload's cluster and what each showed of the workload.
struct WorkloadTimeline: Sendable {
    /// Capture times of every pod snapshot of the cluster, ascending.
    var snapshots: [Timestamp]
    /// Evidence of each snapshot as a whole (the snapshot marker's document ids).
    var snapshotEvidence: [Timestamp: [Int64]]
    var observations: [Timestamp: [WorkloadObservation]]
}

/// One interval in which a workload ran a digest.
struct RanInterval: Sendable, Equatable {
    var digest: String
    var start: Timestamp
    /// Capture time of the first snapshot without the digest; nil while it still runs.
    var end: Timestamp?
    /// Start time of the first replacement pod in that snapshot, when there is one.
    var tightEnd: Timestamp?
    var running: Bool
    /// Document ids, deduplicated and sorted.
    var evidence: [Int64]
}

/// "Where did it run" (DESIGN.md §3, scenarios/README.md), per workload W and digest D over the
/// cluster's successive snapshots S₀ < S₁ < …:
///
/// - Sᵢ *shows* D when a pod of W with imageID D is in it and either still live or started after
///   Sᵢ₋₁ (every pod counts in S₀). Completed pods of a CronJob that ran since the previous
///   snapshot show their digest; a finished pod lingering in the history does not.
/// - An interval opens at the first snapshot that shows D; start = earliest `status.startTime`
///   of W's pods with D in the snapshots of the interval (the capture time if none has one).
/// - It ends at the capture time of the first later snapshot that does not show D; the tight
///   end is the start time of the first pod of W in that snapshot that started after the
///   previous snapshot (the replacement), when there is one.
/// - It is open (`running`) when the cluster's latest snapshot still shows D.
///
/// A digest that comes back later (a rollback) opens a second interval.
enum WorkloadIntervals {
    static func compute(_ timeline: WorkloadTimeline) -> [RanInterval] {
        // Each digest's observations by snapshot, gathered in one pass: filtering every
        // snapshot's observations once per digest was quadratic (a crafted pod of 10,000
        // containers with 5,000 images took 2.2 s here, 40,000 took 40 s).
        var byDigest: [String: [Timestamp: [WorkloadObservation]]] = [:]
        for (time, observations) in timeline.observations {
            for observation in observations where observation.target.kind == .artifact {
                byDigest[observation.target.key, default: [:]][time, default: []].append(observation)
            }
        }
        var replacements = ReplacementStarts(timeline)
        var out: [RanInterval] = []
        for (digest, observed) in byDigest.sorted(by: { $0.key < $1.key }) {
            out += intervals(of: digest, observed, timeline, &replacements)
        }
        return out
    }

    /// - Parameter observed: the observations of `digest`, by snapshot (in the order of
    ///   `timeline.observations[time]`).
    private static func intervals(of digest: String, _ observed: [Timestamp: [WorkloadObservation]],
                                  _ timeline: WorkloadTimeline, _ replacements: inout ReplacementStarts) -> [RanInterval] {
        var out: [RanInterval] = []
        var open: RanInterval?
        var lastShowing: Timestamp?
        func evidence(at time: Timestamp?) -> [Int64] {
            time.map { (observed[$0] ?? []).flatMap(\.evidence) } ?? []
        }
        for (index, time) in timeline.snapshots.enumerated() {
            let previous = index > 0 ? timeline.snapshots[index - 1] : nil
            let showing = (observed[time] ?? []).filter { observation in
                guard let previous else { return true }
                return observation.live || observation.starts.contains { $0 > previous }
            }
            if !showing.isEmpty {
                let start = showing.compactMap(\.firstStart).min() ?? time
                if var interval = open {
                    interval.start = min(interval.start, start)
                    open = interval
                } else {
                    open = RanInterval(digest: digest, start: start, end: nil, tightEnd: nil, running: true,
                                       evidence: showing.flatMap(\.evidence))
                }
                lastShowing = time
            } else if var interval = open {
                interval.end = time
                interval.running = false
                if let previous { interval.tightEnd = replacements.first(at: time, after: previous) }
                interval.evidence += evidence(at: lastShowing) + (timeline.snapshotEvidence[time] ?? [])
                out.append(finished(interval))
                open = nil
            }
        }
        if var interval = open {
            interval.evidence += evidence(at: lastShowing)
            out.append(finished(interval))
        }
        return out
    }

    private static func finished(_ interval: RanInterval) -> RanInterval {
        var interval = interval
        interval.evidence = Array(Set(interval.evidence)).sorted()
        return interval
    }
}

/// The start of the first pod of any image in a snapshot that started after the previous
/// snapshot (an interval's tight end), worked out once per snapshot: every digest whose
/// interval ends there asks the same question (the previous snapshot is the same for all).
private struct ReplacementStarts {
    let timeline: WorkloadTimeline
    private var known: [Timestamp: Timestamp?] = [:]

    init(_ timeline: WorkloadTimeline) {
        self.timeline = timeline
    }

    mutating func first(at time: Timestamp, after previous: Timestamp) -> Timestamp? {
        if let answer = known[time] { return answer }
        let answer = (timeline.observations[time] ?? []).flatMap(\.starts).filter { $0 > previous }.min()
        known[time] = .some(answer)
        return answer
    }
}
