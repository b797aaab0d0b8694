import Foundation

/// Per-phase durations of one document, printed to stderr when `CUSTODY_TIMINGS=1`: the
/// first thing to look at when an ingest is slow. Wall time and this thread's CPU time (the
/// latter stays meaningful on a machine that other work keeps busy).
public struct PhaseTimer {
    public let label: String
    public let enabled = PhaseTimer.isEnabled
    /// Read once: the environment does not change during a run.
    public static let isEnabled = ProcessInfo.processInfo.environment["CUSTODY_TIMINGS"] == "1"
    private var last = ContinuousClock.now
    private var lastCPU = PhaseTimer.threadCPU()
    private var phases: [(String, Duration, Double)] = []

    public init(label: String) { self.label = label }

    public mutating func mark(_ phase: String) {
        guard enabled else { return }
        let now = ContinuousClock.now
        let cpu = Self.threadCPU()
        phases.append((phase + "[peak \(Self.residentMB())M]", now - last, cpu - lastCPU))
        last = now
        lastCPU = cpu
    }

    public func report() {
        guard enabled else { return }
        let text = phases.map { phase, wall, cpu in
            "\(phase)=\((wall / .milliseconds(1)).formatted(.number.precision(.fractionLength(1))))ms" +
                "(cpu \((cpu * 1000).formatted(.number.precision(.fractionLength(1)))))"
        }
        FileHandle.standardError.write(Data("timings \(label): \(text.joined(separator: " "))\n".utf8))
    }

    /// Peak resident set size so far, in MiB (`getrusage`).
    static func residentMB() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss >> 10
    }

    static func threadCPU() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
