import CustodyQuery

extension ResultJSON {
    static func trace(_ result: TraceResult) -> String {
        var w = JSONWriter(capacity: 4096 + result.chains.count * 800)
        w.object { w in
            w.key("target")
            w.object { w in
                w.key("kind"); w.string(result.target.kind)
                w.key("key"); w.string(result.target.key)
                w.key("matched"); w.strings(result.target.matched)
            }
            w.key("window"); window(&w, result.window)
            w.key("chain"); path(&w, result.chain)
            w.key("chains"); w.array { w in for chain in result.chains { path(&w, chain) } }
            w.key("artifacts"); w.array { w in for artifact in result.artifacts { self.artifact(&w, artifact) } }
            w.key("runs"); w.array { w in for run in result.runs { self.run(&w, run) } }
            w.key("builds")
            w.array { w in
                for build in result.builds {
                    w.object { w in
                        w.key("run"); w.string(build.run)
                        w.key("digest"); w.string(build.digest)
                        w.key("workflow"); w.string(build.workflow)
                        w.key("commit"); w.string(build.commit)
                        w.key("repository"); w.string(build.repository)
                        w.key("triggered_by"); w.strings(build.triggered_by)
                        w.key("evidence"); w.strings(build.evidence)
                    }
                }
            }
            w.key("pushes")
            w.array { w in
                for push in result.pushes {
                    w.object { w in
                        w.key("digest"); w.string(push.digest)
                        w.key("identity"); w.string(push.identity)
                        w.key("at"); w.string(push.at)
                        w.key("attributes")
                        w.inline { w in
                            w.object { w in for (key, value) in push.attributes.sorted(by: { $0.key < $1.key }) { w.key(text: key); w.string(value) } }
                        }
                        w.key("evidence"); w.strings(push.evidence)
                    }
                }
            }
            w.key("attestations")
            w.array { w in
                for attestation in result.attestations {
                    w.object { w in
                        w.key("key"); w.string(attestation.key)
                        w.key("digest"); w.string(attestation.digest)
                        w.key("predicate_type"); w.string(attestation.predicate_type)
                        w.key("builders"); w.strings(attestation.builders)
                        w.key("commits"); w.strings(attestation.commits)
                        w.key("runs"); w.strings(attestation.runs)
                        w.key("evidence"); w.strings(attestation.evidence)
                    }
                }
            }
            w.key("signatures")
            w.array { w in
                for signature in result.signatures {
                    w.object { w in
                        w.key("attestation"); w.string(signature.attestation)
                        w.key("digest"); w.string(signature.digest)
                        w.key("signer"); w.string(signature.signer)
                        w.key("verified"); w.bool(signature.verified)
                        w.key("result"); w.string(signature.result)
                        w.key("evidence"); w.strings(signature.evidence)
                    }
                }
            }
            w.key("sboms")
            w.array { w in
                for sbom in result.sboms {
                    w.object { w in
                        w.key("key"); w.string(sbom.key)
                        w.key("digest"); w.string(sbom.digest)
                        w.key("packages"); w.int(sbom.packages)
                        w.key("evidence"); w.strings(sbom.evidence)
                    }
                }
            }
            w.key("related")
            w.array { w in
                for related in result.related {
                    w.inline { w in
                        w.object { w in
                            w.key("digest"); w.string(related.digest)
                            w.key("relation"); w.string(related.relation)
                            w.key("of"); w.string(related.of)
                        }
                    }
                }
            }
            w.key("workloads"); workloads(&w, result.workloads)
            w.key("gaps")
            w.array { w in
                for gap in result.gaps {
                    w.object { w in
                        w.key("kind"); w.string(gap.kind)
                        w.key("subject"); w.string(gap.subject)
                        w.key("message"); w.string(gap.message)
                    }
                }
            }
            w.key("evidence"); evidence(&w, result.evidence)
        }
        return w.text + "\n"
    }
}
