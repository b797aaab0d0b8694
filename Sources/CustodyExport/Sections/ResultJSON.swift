import CustodyQuery

/// The JSON of blast-radius and trace answers (docs/OUTPUT.md), written with `JSONWriter`.
/// Keys follow the contract's order; every contract field is written, null when unknown.
/// A test decodes this text back into the `Codable` result types and compares, so the two
/// cannot drift apart.
enum ResultJSON {
    typealias R = BlastRadiusResult

    static func blastRadius(_ result: R) -> String {
        String(decoding: blastRadiusUTF8(result), as: UTF8.self)
    }

    static func blastRadiusUTF8(_ result: R) -> [UInt8] {
        var w = JSONWriter(capacity: 4096 + result.paths.count * 600 + result.workloads.count * 400)
        blastRadius(result, into: &w)
        return w.bytes.array
    }

    /// The answer's JSON handed to `sink` in pieces (`JSONWriter(flushAt:sink:)`).
    static func blastRadius(_ result: R, to sink: @escaping (UnsafeBufferPointer<UInt8>) -> Void) {
        var w = JSONWriter(flushAt: 1 << 20, sink: sink)
        blastRadius(result, into: &w)
        w.finish()
    }

    static func blastRadius(_ result: R, into w: inout JSONWriter) {
        w.object { w in
            w.key("subject")
            w.object { w in
                w.key("kind"); w.string(result.subject.kind)
                w.key("key"); w.string(result.subject.key)
                w.key("matched"); w.strings(result.subject.matched)
            }
            w.key("window"); window(&w, result.window)
            w.key("runs"); w.array { w in for run in result.runs { self.run(&w, run) } }
            w.key("artifacts"); w.array { w in for artifact in result.artifacts { self.artifact(&w, artifact) } }
            w.key("containers")
            w.array { w in
                for container in result.containers {
                    w.inline { w in
                        w.object { w in
                            w.key("kind"); w.string(container.kind)
                            w.key("key"); w.string(container.key)
                            w.key("sboms"); w.strings(container.sboms)
                        }
                    }
                }
            }
            w.key("workloads"); workloads(&w, result.workloads)
            w.key("secrets"); secrets(&w, result.secrets)
            w.key("not_affected")
            w.array { w in
                for item in result.not_affected {
                    w.object { w in
                        w.key("digest"); w.string(item.digest)
                        w.key("vulnerability"); w.string(item.vulnerability)
                        w.key("status"); w.string(item.status)
                        w.key("justification"); w.string(item.justification)
                    }
                }
            }
            w.key("paths"); paths(&w, result.paths)
            w.key("evidence"); evidence(&w, result.evidence)
        }
        w.newlineAtEnd()
    }

    static func window(_ w: inout JSONWriter, _ window: R.Window) {
        w.inline { w in
            w.object { w in
                w.key("from"); w.string(window.from)
                w.key("to"); w.string(window.to)
                w.key("at"); w.string(window.at)
            }
        }
    }

    static func run(_ w: inout JSONWriter, _ run: R.Run) {
        w.object { w in
            w.key("key"); w.string(run.key)
            w.key("provider"); w.string(run.provider)
            w.key("repository"); w.string(run.repository)
            w.key("run_id"); w.string(run.run_id)
            w.key("attempt"); w.int(run.attempt)
            w.key("started_at"); w.string(run.started_at)
            w.key("certainty"); w.string(run.certainty)
            w.key("completed_at"); w.string(run.completed_at)
        }
    }

    static func artifact(_ w: inout JSONWriter, _ artifact: R.Artifact) {
        w.object { w in
            w.key("digest"); w.string(artifact.digest)
            w.key("media_type"); w.string(artifact.media_type)
            w.key("repositories"); w.strings(artifact.repositories)
            w.key("tags"); w.strings(artifact.tags)
            w.key("first_seen"); w.string(artifact.first_seen)
            w.key("last_seen"); w.string(artifact.last_seen)
            w.key("certainty"); w.string(artifact.certainty)
            w.key("running"); w.bool(artifact.running)
        }
    }

    /// Workload rows, each laid out once (`JSONObjectLayout`): a large answer has thousands.
    static func workloads(_ w: inout JSONWriter, _ workloads: [R.Workload]) {
        w.array { w in
            let layout = JSONObjectLayout(["cluster", "namespace", "kind", "name", "digest", "first_seen", "last_seen",
                                           "last_seen_tight", "running", "certainty"], depth: w.indent)
            for workload in workloads {
                w.object(layout) { m in
                    m.string(workload.cluster)
                    m.string(workload.namespace)
                    m.string(workload.kind)
                    m.string(workload.name)
                    m.string(workload.digest)
                    m.string(workload.first_seen)
                    m.string(workload.last_seen)
                    m.string(workload.last_seen_tight)
                    m.bool(workload.running)
                    m.string(workload.certainty)
                }
            }
        }
    }

    /// Secret rows, laid out once (`JSONObjectLayout`): a large answer has thousands.
    static func secrets(_ w: inout JSONWriter, _ secrets: [R.Secret]) {
        w.array { w in
            let layout = JSONObjectLayout(["key", "reached_by"], depth: w.indent)
            for secret in secrets {
                w.object(layout) { m in
                    m.string(secret.key)
                    m.strings(secret.reached_by)
                }
            }
        }
    }

    /// Each distinct element's text is written once, then copied into every path using it.
    static func paths(_ w: inout JSONWriter, _ paths: PathList) {
        // Every element's text in one buffer, found by offset (no array per element to
        // retain and release at each of the hundreds of thousands of uses).
        var texts = JSONWriter(capacity: paths.elements.count * 160)
        var offsets: [Int] = [0]
        offsets.reserveCapacity(paths.elements.count + 1)
        let layouts = ElementLayouts()
        for element in paths.elements {
            // One after another at the top level: each is written exactly as a fresh writer would.
            self.element(&texts, element, layouts)
            offsets.append(texts.bytes.count)
        }
        // A constant for the closure below: a captured `var` is boxed, and each of the
        // hundreds of thousands of reads through the box was checked for exclusive access.
        let bounds = offsets
        texts.bytes.withUnsafeBufferPointer { all in
            w.array { w in
                for layout in paths.layout {
                    // As `element` values each in `inline`: `[{…}, {…}` on one line, `]` on the next.
                    w.array(ofRaw: layout.lazy.map { UnsafeBufferPointer(rebasing: all[bounds[Int($0)]..<bounds[Int($0) + 1]]) })
                }
            }
        }
    }

    /// The two shapes of a path element, on one line.
    struct ElementLayouts {
        let edge = JSONObjectLayout(["edge", "first_seen", "last_seen", "certainty", "evidence"], depth: 0, inline: true)
        let node = JSONObjectLayout(["kind", "key"], depth: 0, inline: true)
    }

    static func element(_ w: inout JSONWriter, _ element: R.PathElement, _ layouts: ElementLayouts) {
        if let edge = element.edge {
            w.object(layouts.edge) { m in
                m.string(edge)
                m.string(element.first_seen)
                m.string(element.last_seen)
                m.string(element.certainty)
                m.strings(element.evidence ?? [])
            }
        } else {
            w.object(layouts.node) { m in
                m.string(element.kind)
                m.string(element.key)
            }
        }
    }

    static func path(_ w: inout JSONWriter, _ path: [R.PathElement]) {
        let layouts = ElementLayouts()
        w.array { w in for element in path { self.element(&w, element, layouts) } }
    }

    static func evidence(_ w: inout JSONWriter, _ evidence: [R.Evidence]) {
        w.array { w in
            for item in evidence {
                w.inline { w in
                    w.object { w in
                        w.key("sha256"); w.string(item.sha256)
                        w.key("format"); w.string(item.format)
                        w.key("source"); w.string(item.source)
                    }
                }
            }
        }
    }
}
