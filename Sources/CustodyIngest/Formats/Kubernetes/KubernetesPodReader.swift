import CustodyCore

/// One pod of a snapshot, reduced to what becomes facts.
struct KubernetesPod {
    /// What one container ran, from its status (joined to the spec by container name).
    enum Running {
        /// A registry digest (`repo@sha256:…`, `docker-pullable://repo@sha256:…`).
        case digest(Digest, repository: String?)
        /// A config digest (`docker://sha256:…`, bare `sha256:…`): the image ID of a local
        /// image, not something a registry serves, so not an artifact.
        case configDigest(Digest)
        /// Empty or unreadable imageID: the container never started (or the runtime did not say).
        case unknown
    }

    struct Container {
        var name: String
        var specImage: String?
        /// The raw imageID (empty when absent), the key of `KubernetesImageMemo`.
        var imageID: String
        var running: Running
        /// The status entry (or the spec container when there is no status).
        var at: KubeValue
        /// Its JSON pointer, built on demand: only new facts keep a location.
        var pointer: String { at.pointer }
    }

    var namespace: String
    var name: String
    var pointer: String
    var owner: KubernetesOwnerReference?
    var podTemplateHash: String?
    var createdAt: Timestamp?
    var startedAt: Timestamp?
    var phase: String?
    var spec: KubernetesPodSpec
    var containers: [Container] = []

    /// Pods in a terminal phase ran their images before the snapshot but run nothing now.
    var isLive: Bool { phase != "Succeeded" && phase != "Failed" }

    static let statusLists = ["initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses"]

    /// Reads a Pod object; per-container problems become diagnostics in `diagnostics`.
    init(_ item: KubeValue, cache: inout KubernetesImageCache, diagnostics: inout [Diagnostic]) throws {
        guard let metadata = try item.object("metadata") else { throw item.reject("a Pod needs metadata") }
        guard let name = try metadata.string("name"), KubernetesKeys.isValidName(name) else {
            throw (metadata.member("name") ?? metadata).reject("a Pod needs a valid metadata.name")
        }
        let namespace = try metadata.string("namespace") ?? "default"
        guard KubernetesKeys.isValidName(namespace) else {
            throw (metadata.member("namespace") ?? metadata).reject("invalid namespace \(KubeValue.quote(namespace))")
        }
        self.name = name
        self.namespace = namespace
        pointer = item.pointer
        owner = try KubernetesOwnerReference.controller(of: metadata)
        if owner?.kind == "Node" { owner = nil } // static (mirror) pods: the pod is the workload
        podTemplateHash = try metadata.object("labels")?.string("pod-template-hash")
        createdAt = try metadata.time("creationTimestamp")
        spec = try KubernetesPodSpec(try item.object("spec"))
        let status = try item.object("status")
        startedAt = try status?.time("startTime")
        phase = try status?.string("phase")

        var reported = SmallSet<String>()
        for list in Self.statusLists {
            try status?.forEachObject(list) { entry in
                let containerName = try entry.string("name") ?? ""
                let imageID = try entry.string("imageID") ?? ""
                let specImage = try spec.image(of: containerName) ?? entry.string("image")
                let running = cache.classify(imageID)
                switch running {
                case .digest: break
                case let .configDigest(digest):
                    diagnostics.append(Diagnostic(.info, "pod \(namespace)/\(name) container \(containerName) reports image ID \(digest) (a local config digest, not a registry digest); kept as the configDigest attribute, not as an artifact", at: entry.pointer + "/imageID"))
                case .unknown where imageID.isEmpty:
                    let state = Self.waitingReason(entry)
                    diagnostics.append(Diagnostic(.warning, "pod \(namespace)/\(name) container \(containerName) has an empty imageID\(state): it never started, so no digest is known for \(specImage.map { KubeValue.quote($0) } ?? "its image")", at: entry.pointer + "/imageID"))
                case .unknown:
                    diagnostics.append(Diagnostic(.warning, "pod \(namespace)/\(name) container \(containerName) has an unreadable imageID \(KubeValue.quote(imageID)); no digest recorded", at: entry.pointer + "/imageID"))
                }
                reported.insert(containerName)
                containers.append(Container(name: containerName, specImage: specImage, imageID: imageID, running: running, at: entry))
            }
        }
        // Spec containers without any status never started (Pending pods have no statuses).
        for container in spec.containers where !reported.contains(container.name) {
            diagnostics.append(Diagnostic(.warning, "pod \(namespace)/\(name) container \(container.name) has no status (phase \(phase ?? "unknown")): it has not run, so no digest is known for \(container.image.map { KubeValue.quote($0) } ?? "its image")", at: container.pointer))
            containers.append(Container(name: container.name, specImage: container.image, imageID: "", running: .unknown, at: container.at))
        }
    }


    private static func waitingReason(_ entry: KubeValue) -> String {
        guard let reason = try? entry.object("state")?.object("waiting")?.string("reason"), !reason.isEmpty else { return "" }
        return " (waiting: \(KubeValue.quote(reason, limit: 40)))"
    }
}

/// Parsed image IDs and references for one document's reader. A snapshot repeats the same few
/// hundred images across thousands of pods, and the general parsers (which try a digest first
/// and build a quoted error message when it is not one) dominated the ingest before this cache
/// and the fast paths below: each text is parsed once per process (`KubernetesImageMemo`);
/// anything of an unusual shape still goes through `ImageID.parse` and
/// `ImageReference(parsing:)`, and the fast paths give the same values (KubernetesFixtureTests).
struct KubernetesImageCache {
    /// The previous lookups: consecutive pods are mostly replicas of one template, and
    /// comparing two equal strings is cheaper than hashing one.
    private var lastImageID: (String, KubernetesPod.Running)?
    private var lastReference: (String, ImageReference?)?

    /// FORMATS.md §5.1: the five imageID forms.
    mutating func classify(_ imageID: String) -> KubernetesPod.Running {
        if let last = lastImageID, last.0 == imageID { return last.1 }
        let running = KubernetesImageMemo.shared.running(imageID) {
            if let fast = Self.repoDigest(imageID) { return fast }
            if let parsed = ImageID.parse(imageID), let digest = parsed.digest {
                return parsed.isConfigDigest ? .configDigest(digest) : .digest(digest, repository: parsed.repository)
            }
            return .unknown
        }
        lastImageID = (imageID, running)
        return running
    }

    mutating func reference(_ text: String) -> ImageReference? {
        if let last = lastReference, last.0 == text { return last.1 }
        let parsed = KubernetesImageMemo.shared.reference(text) {
            Self.plainReference(text) ?? (try? ImageReference(parsing: text))
        }
        lastReference = (text, parsed)
        return parsed
    }

    /// `[docker-pullable://]<name>@sha256:<64 hex>` with a plain name (no tag).
    static func repoDigest(_ imageID: String) -> KubernetesPod.Running? {
        guard isASCII(imageID) else { return characterRepoDigest(imageID) }
        // ASCII: the byte scans below find exactly what the Character scans would (no
        // grapheme joins these delimiters), at a fraction of the cost: 2,000 distinct image
        // IDs per 10,000-pod snapshot went through the Character version.
        let utf8 = imageID.utf8
        var start = utf8.startIndex
        if imageID.hasPrefix("docker-pullable://") { start = utf8.index(start, offsetBy: 18) }
        guard let at = utf8[start...].lastIndex(of: UInt8(ascii: "@")) else { return nil }
        let suffix = imageID[utf8.index(after: at)...]
        guard suffix.utf8.count == 71, suffix.hasPrefix("sha256:"),
              let digest = try? Digest(algorithm: .sha256, hex: String(suffix.dropFirst(7))),
              let reference = plainReference(String(imageID[start..<at])), reference.tag == nil else { return nil }
        return .digest(digest, repository: reference.repository)
    }

    private static func characterRepoDigest(_ imageID: String) -> KubernetesPod.Running? {
        var body = Substring(imageID)
        if body.hasPrefix("docker-pullable://") { body = body.dropFirst("docker-pullable://".count) }
        guard let at = body.lastIndex(of: "@") else { return nil }
        let suffix = body[body.index(after: at)...]
        guard suffix.hasPrefix("sha256:"), suffix.utf8.count == 71,
              let digest = try? Digest(algorithm: .sha256, hex: String(suffix.dropFirst(7))),
              let reference = plainReference(String(body[..<at])), reference.tag == nil else { return nil }
        return .digest(digest, repository: reference.repository)
    }

    /// `[host/]path[:tag]` without a digest, split as `ImageReference(parsing:)` does (the first
    /// component is a host when it has `.` or `:`, is `localhost`, or has upper case) and
    /// validated by `ImageReference(host:path:tag:)`; nil for anything else.
    static func plainReference(_ text: String) -> ImageReference? {
        guard !text.isEmpty, text.utf8.count <= 255, !text.utf8.contains(UInt8(ascii: "@")),
              !text.hasPrefix("docker://"), !text.hasPrefix("docker-pullable://"), !text.hasPrefix("sha256:") else { return nil }
        guard isASCII(text) else { return characterPlainReference(text) }
        // Byte scans on ASCII text, as in `repoDigest`.
        let utf8 = text.utf8
        var nameEnd = utf8.endIndex
        var tag: String?
        if let colon = utf8.lastIndex(of: UInt8(ascii: ":")), !utf8[colon...].contains(UInt8(ascii: "/")) {
            tag = String(text[utf8.index(after: colon)...])
            nameEnd = colon
        }
        let name = utf8[..<nameEnd]
        guard name.count != 64 || !name.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }) else { return nil }
        var host = "docker.io"
        var pathStart = utf8.startIndex
        if let slash = name.firstIndex(of: UInt8(ascii: "/")) {
            let first = utf8[..<slash]
            if first.elementsEqual("localhost".utf8) || first.contains(UInt8(ascii: ".")) || first.contains(UInt8(ascii: ":"))
                || first.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) {
                host = String(text[..<slash])
                pathStart = utf8.index(after: slash)
            }
        }
        return try? ImageReference(host: host, path: String(text[pathStart..<nameEnd]), tag: tag)
    }

    private static func characterPlainReference(_ text: String) -> ImageReference? {
        var name = Substring(text)
        var tag: String?
        if let colon = name.lastIndex(of: ":"), name[colon...].firstIndex(of: "/") == nil {
            tag = String(name[name.index(after: colon)...])
            name = name[..<colon]
        }
        guard name.utf8.count != 64 || !name.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }) else { return nil }
        var host = "docker.io"
        var path = name
        if let slash = name.firstIndex(of: "/") {
            let first = name[..<slash]
            if first == "localhost" || first.contains(".") || first.contains(":")
                || first.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) {
                host = String(first)
                path = name[name.index(after: slash)...]
            }
        }
        return try? ImageReference(host: host, path: String(path), tag: tag)
    }

    private static func isASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 }
    }
}
