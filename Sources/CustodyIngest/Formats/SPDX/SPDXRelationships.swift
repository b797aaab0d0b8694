/// The relationship types custody records, normalized to one direction (FORMATS.md §2.2).
///
/// SPDX 2 writes `A CONTAINS B` and also the inverse `B CONTAINED_BY A`; `A DEPENDENCY_OF B`
/// (Syft) means *B depends on A*; SPDX 3 has lower-camel types (`dependsOn`, `hasStaticLink`)
/// and no inverses. Matching ignores case and `_`, so `DEPENDS_ON` and `dependsOn` are one key.
enum SPDXRelationshipType {
    enum Kind: Sendable, Equatable {
        /// document → subject
        case describes
        /// container → member (flattened into subject membership by the mapper)
        case contains
        /// dependent → dependency
        case dependsOn
    }

    struct Normalized: Equatable, Sendable {
        var kind: Kind
        /// True when the written `from` is the target of the normalized relation.
        var reversed: Bool
    }

    /// nil for the types custody does not record (licenses, GENERATED_FROM, VARIANT_OF, …).
    static func normalize(_ type: String) -> Normalized? {
        guard let key = squash(type) else { return nil }
        return table[key]
    }

    /// Upper-case ASCII letters only (`DEPENDS_ON`, `dependsOn` → `DEPENDSON`); nil for
    /// anything that cannot be a relationship type.
    static func squash(_ type: String) -> String? {
        guard !type.isEmpty, type.utf8.count <= 64 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(type.utf8.count)
        for byte in type.utf8 {
            switch byte {
            case UInt8(ascii: "_"), UInt8(ascii: "-"): continue
            case UInt8(ascii: "a")...UInt8(ascii: "z"): out.append(byte - 32)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): out.append(byte)
            default: return nil
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let table: [String: Normalized] = {
        var table: [String: Normalized] = [
            "DESCRIBES": Normalized(kind: .describes, reversed: false),
            "DESCRIBEDBY": Normalized(kind: .describes, reversed: true),
            "CONTAINS": Normalized(kind: .contains, reversed: false),
            "CONTAINEDBY": Normalized(kind: .contains, reversed: true),
            "DEPENDSON": Normalized(kind: .dependsOn, reversed: false),
            "DEPENDENCYOF": Normalized(kind: .dependsOn, reversed: true),
            // A links B: A needs B's code (SPDX 2 STATIC_LINK / DYNAMIC_LINK, SPDX 3 hasStaticLink …).
            "STATICLINK": Normalized(kind: .dependsOn, reversed: false),
            "DYNAMICLINK": Normalized(kind: .dependsOn, reversed: false),
            "HASSTATICLINK": Normalized(kind: .dependsOn, reversed: false),
            "HASDYNAMICLINK": Normalized(kind: .dependsOn, reversed: false),
            "HASPREREQUISITE": Normalized(kind: .dependsOn, reversed: false),
            "PREREQUISITEFOR": Normalized(kind: .dependsOn, reversed: true),
            "HASOPTIONALDEPENDENCY": Normalized(kind: .dependsOn, reversed: false),
            "HASPROVIDEDDEPENDENCY": Normalized(kind: .dependsOn, reversed: false),
        ]
        // SPDX 2 scoped inverses: `X BUILD_DEPENDENCY_OF Y` = Y depends on X.
        for scope in ["BUILD", "DEV", "OPTIONAL", "PROVIDED", "TEST", "RUNTIME"] {
            table[scope + "DEPENDENCYOF"] = Normalized(kind: .dependsOn, reversed: true)
        }
        return table
    }()
}
