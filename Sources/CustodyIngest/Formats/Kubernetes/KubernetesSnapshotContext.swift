import CustodyCore

/// The cluster and capture time of a kubectl document, which the document itself never says.
///
/// Sources, in order: `--cluster` (the only source of the cluster name: a kube context or a
/// directory name is a guess, and a wrong cluster silently merges two estates), and for the
/// time `--observed-at`, else an RFC 3339 time in the file name (`pods-2025-03-14T12:00:00Z.json`,
/// compact `pods-20250314T120000Z.json`), as `kubectl get … > pods-$(date -u +%FT%TZ).json`
/// writes it. File modification times are never used: copying evidence off a host changes
/// them, and a wrong capture time moves every interval.
struct KubernetesSnapshotContext: Sendable {
    let cluster: String
    let capturedAt: Timestamp
    /// A note when `--observed-at` and the file name disagree (the flag wins).
    let conflict: String?

    static func resolve(_ input: IngestInput) throws -> KubernetesSnapshotContext {
        let cluster = try clusterName(input)
        let fromName = timeInFileName(input.fileName)
        guard let capturedAt = input.options.observedAt ?? fromName else {
            throw CustodyError.rejected(
                "kubectl output carries no capture time: pass --observed-at TIME (RFC 3339, e.g. 2025-03-14T12:00:00Z) or put the time in the file name (pods-2025-03-14T12:00:00Z.json or pods-20250314T120000Z.json); file modification times are not used",
                at: SourceLocation(path: input.source))
        }
        var conflict: String?
        if let flag = input.options.observedAt, let fromName, flag != fromName {
            conflict = "--observed-at \(flag.rfc3339) differs from the time in the file name (\(fromName.rfc3339)); using --observed-at"
        }
        return KubernetesSnapshotContext(cluster: cluster, capturedAt: capturedAt, conflict: conflict)
    }

    /// The `--cluster` value, validated because it becomes the first segment of node keys.
    static func clusterName(_ input: IngestInput) throws -> String {
        guard let name = input.options.cluster, !name.isEmpty else {
            throw CustodyError.rejected(
                "Kubernetes documents do not name their cluster: pass --cluster NAME (the name used in workload keys, e.g. --cluster prod-eu)",
                at: SourceLocation(path: input.source))
        }
        guard isValidClusterName(name) else {
            throw CustodyError.usage("--cluster \(KubeValue.quote(name)): use letters, digits, '.', '-', '_' or ':' (at most 253 characters, no '/')")
        }
        return name
    }

    static func isValidClusterName(_ name: String) -> Bool {
        name.utf8.count <= 253 && name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
        }
    }

    /// The first RFC 3339 (`2025-03-14T12:00:00Z`, optional fraction and offset) or compact
    /// (`20250314T120000Z`) UTC time written in a file name; nil when there is none.
    static func timeInFileName(_ name: String) -> Timestamp? {
        let bytes = Array(name.utf8)
        var index = 0
        while index < bytes.count {
            if isDigit(bytes, index), index == 0 || !isDigit(bytes, index - 1) {
                if let end = rfc3339End(bytes, index),
                   let time = try? Timestamp(rfc3339: String(decoding: bytes[index..<end], as: UTF8.self)) {
                    return time
                }
                if index + 16 <= bytes.count,
                   let time = try? Timestamp(compactUTC: String(decoding: bytes[index..<(index + 16)], as: UTF8.self)) {
                    return time
                }
            }
            index += 1
        }
        return nil
    }

    /// End of `YYYY-MM-DDThh:mm:ss[.f](Z|±hh:mm)` starting at `start`, by shape only.
    private static func rfc3339End(_ b: [UInt8], _ start: Int) -> Int? {
        let shape = Array("dddd-dd-ddTdd:dd:dd".utf8)
        guard start + shape.count <= b.count else { return nil }
        for (offset, expected) in shape.enumerated() {
            let byte = b[start + offset]
            if expected == UInt8(ascii: "d") {
                guard isDigit(b, start + offset) else { return nil }
            } else if expected == UInt8(ascii: "T") {
                guard byte == UInt8(ascii: "T") || byte == UInt8(ascii: "t") else { return nil }
            } else if byte != expected {
                return nil
            }
        }
        var end = start + shape.count
        if end < b.count, b[end] == UInt8(ascii: ".") {
            end += 1
            while end < b.count, isDigit(b, end) { end += 1 }
        }
        guard end < b.count else { return nil }
        if b[end] == UInt8(ascii: "Z") || b[end] == UInt8(ascii: "z") { return end + 1 }
        if b[end] == UInt8(ascii: "+") || b[end] == UInt8(ascii: "-"), end + 6 <= b.count { return end + 6 }
        return nil
    }

    private static func isDigit(_ b: [UInt8], _ i: Int) -> Bool {
        i >= 0 && i < b.count && b[i] >= UInt8(ascii: "0") && b[i] <= UInt8(ascii: "9")
    }
}
