import CustodyCore
import Foundation

/// Which versions an `affects` edge to a versionless package covers. An advisory states them
/// as an explicit list, a range, or both (OSV `versions` and `ranges`); the advisory ingestor
/// writes them as edge attributes, read here:
///
/// - `vers`: a `vers:` range (`vers:npm/>=4.4.2|<4.4.3`);
/// - `introduced` / `fixed` / `last_affected` with `scheme`: one OSV range, turned into a `vers:` range;
/// - `versions`: a JSON array of strings or a comma-separated list.
///
/// A version matches when any of them contains it. With none of them the edge says "every
/// version" (an advisory with `introduced: 0` and no fix), and every version matches.
struct AffectedVersions {
    var ranges: [VersionRange] = []
    var versions: Set<String> = []
    var matchesAll = false

    init(attributes: [String: String]) {
        if let text = attributes["vers"], let range = try? VersionRange(parsing: text) { ranges.append(range) }
        if let scheme = attributes["scheme"] {
            var constraints: [String] = []
            if let introduced = attributes["introduced"], introduced != "0" { constraints.append(">=" + introduced) }
            if let fixed = attributes["fixed"] { constraints.append("<" + fixed) }
            if let last = attributes["last_affected"] { constraints.append("<=" + last) }
            let body = constraints.isEmpty ? "*" : constraints.joined(separator: "|")
            if let range = try? VersionRange(parsing: "vers:\(scheme.lowercased())/\(body)") { ranges.append(range) }
        }
        if let list = attributes["versions"] {
            if let data = list.data(using: .utf8), let array = try? JSONSerialization.jsonObject(with: data) as? [String] {
                versions.formUnion(array)
            } else {
                versions.formUnion(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            }
        }
        matchesAll = ranges.isEmpty && versions.isEmpty
    }

    func contains(_ version: String) -> Bool {
        matchesAll || versions.contains(version) || ranges.contains { $0.contains(version) }
    }
}
