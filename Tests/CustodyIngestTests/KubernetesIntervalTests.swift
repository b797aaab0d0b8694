import CustodyCore
@testable import CustodyIngest
import Testing

/// The interval rules on hand-made timelines (hours after an arbitrary origin).
@Suite("Kubernetes ran intervals")
struct KubernetesIntervalTests {
    static func t(_ hours: Int) -> Timestamp { Timestamp(secondsSinceEpoch: 1_700_000_000 + Int64(hours) * 3600) }

    static func seen(_ digest: String, live: Bool = true, starts: [Int]) -> WorkloadObservation {
        WorkloadObservation(target: NodeRef(.artifact, digest), firstStart: starts.map(t).min(), live: live,
                            starts: starts.map(t), evidence: [])
    }

    static func timeline(_ snapshots: [Int], _ observations: [Int: [WorkloadObservation]]) -> WorkloadTimeline {
        WorkloadTimeline(snapshots: snapshots.map(t), snapshotEvidence: [:],
                         observations: Dictionary(uniqueKeysWithValues: observations.map { (t($0.key), $0.value) }))
    }

    @Test("a rollout: old digest ends at the first snapshot without it, tight end at the new pod")
    func rollout() {
        let result = WorkloadIntervals.compute(Self.timeline([10, 20, 30], [
            10: [Self.seen("A", starts: [1, 2])],
            20: [Self.seen("A", starts: [1, 2])],
            30: [Self.seen("B", starts: [25, 26])],
        ]))
        #expect(result.map(\.digest) == ["A", "B"])
        #expect(result[0].start == Self.t(1) && result[0].end == Self.t(30) && result[0].tightEnd == Self.t(25) && !result[0].running)
        #expect(result[1].start == Self.t(25) && result[1].end == nil && result[1].running)
    }

    @Test("an empty snapshot ends everything; a rollback opens a second interval")
    func rollback() {
        let result = WorkloadIntervals.compute(Self.timeline([10, 20, 30, 40], [
            10: [Self.seen("A", starts: [5])],
            30: [Self.seen("A", starts: [25])],
            40: [Self.seen("A", starts: [25])],
        ]))
        #expect(result.count == 2)
        #expect(result[0].start == Self.t(5) && result[0].end == Self.t(20) && result[0].tightEnd == nil)
        #expect(result[1].start == Self.t(25) && result[1].running)
    }

    @Test("completed CronJob pods show their digest only when they ran since the previous snapshot")
    func cronJob() {
        let result = WorkloadIntervals.compute(Self.timeline([10, 20, 30], [
            10: [Self.seen("A", live: false, starts: [8, 9])],
            // Same finished pods kept in history: A did not run between 10 and 20.
            20: [Self.seen("A", live: false, starts: [8, 9])],
            30: [Self.seen("B", live: false, starts: [28])],
        ]))
        #expect(result.count == 2)
        #expect(result[0].digest == "A" && result[0].end == Self.t(20) && result[0].tightEnd == nil)
        #expect(result[1].digest == "B" && result[1].start == Self.t(28) && result[1].running)
    }

    /// One workload with many digests (a crafted pod of thousands of containers): each digest's
    /// intervals follow the same rules as with one, and the tight end is the snapshot's
    /// replacement pod whichever digest ends there.
    @Test("many digests in one workload: each ends at the first snapshot without it")
    func manyDigests() {
        let digests = (0..<300).map { String(format: "sha256:%064x", $0) }
        let result = WorkloadIntervals.compute(Self.timeline([10, 20, 30], [
            10: digests.map { Self.seen($0, starts: [5]) },
            // Even digests still running at 20; the odd ones replaced by pods started at 15.
            20: digests.indices.filter { $0 % 2 == 0 }.map { Self.seen(digests[$0], starts: [5]) } + [Self.seen("X", starts: [15])],
            30: digests.indices.filter { $0 % 2 == 0 }.map { Self.seen(digests[$0], starts: [5]) } + [Self.seen("X", starts: [15])],
        ]))
        #expect(result.count == 301)
        #expect(result.map(\.digest) == (digests + ["X"]).sorted())
        for interval in result where interval.digest != "X" {
            let index = digests.firstIndex(of: interval.digest)!
            #expect(interval.start == Self.t(5))
            if index % 2 == 0 {
                #expect(interval.running && interval.end == nil && interval.tightEnd == nil)
            } else {
                #expect(!interval.running && interval.end == Self.t(20) && interval.tightEnd == Self.t(15))
            }
        }
        let replacement = result.first { $0.digest == "X" }
        #expect(replacement?.start == Self.t(15) && replacement?.running == true)
    }

    @Test("sibling ReplicaSets of one Deployment merge; image references do not make intervals")
    func siblings() {
        let merged = WorkloadDerivation.mergeSiblings([
            Self.seen("A", live: false, starts: [3]), Self.seen("A", live: true, starts: [1]),
            WorkloadObservation(target: NodeRef(.imageReference, "r/x:1"), firstStart: Self.t(2), live: true, starts: [Self.t(2)], evidence: []),
        ])
        #expect(merged.count == 2)
        #expect(merged[0].live && merged[0].firstStart == Self.t(1))
        let result = WorkloadIntervals.compute(Self.timeline([10], [10: merged]))
        #expect(result.map(\.digest) == ["A"])
    }

    @Test("owner resolution: exact uid, then recorded name, then naming inference")
    func resolver() {
        let links: [String: [WorkloadGraph.ControllerLink]] = [
            "c/n/ReplicaSet/web-1": [
                .init(qualifier: "name", certainty: .inferred, parent: "c/n/Deployment/web", evidence: [1]),
                .init(qualifier: "uid:u1", certainty: .recorded, parent: "c/n/Deployment/web", evidence: [2]),
            ],
            "c/n/ReplicaSet/api-2": [.init(qualifier: "name", certainty: .inferred, parent: "c/n/Deployment/api", evidence: [])],
            "c/n/Job/j-1": [.init(qualifier: "uid:j", certainty: .recorded, parent: "c/n/CronJob/j", evidence: [])],
            "c/n/CronJob/j": [.init(qualifier: "uid:x", certainty: .recorded, parent: "c/n/Job/j-1", evidence: [])],
        ]
        let resolver = WorkloadResolver(controllers: links)
        #expect(resolver.top(of: "c/n/ReplicaSet/web-1", uid: "u1").key == "c/n/Deployment/web")
        #expect(resolver.top(of: "c/n/ReplicaSet/web-1", uid: "u1").certainty == .recorded)
        #expect(resolver.top(of: "c/n/ReplicaSet/web-1", uid: "other").certainty == .inferred)
        #expect(resolver.top(of: "c/n/ReplicaSet/api-2", uid: nil).certainty == .inferred)
        #expect(resolver.top(of: "c/n/Pod/bare", uid: nil).key == "c/n/Pod/bare")
        // A cycle (tampered owner references) stops instead of looping.
        #expect(resolver.top(of: "c/n/Job/j-1", uid: "j").key == "c/n/CronJob/j")
    }
}
