import CustodyCore
import Foundation

/// The named queries custody knows: the ones built into the binary (a generated copy of the
/// repository's `queries/`, so an installed binary has them with no files beside it), and the
/// `.sql` files of the query directories found on disk, which take precedence by name — an
/// analyst can add or fix a query without rebuilding. `QueryLocator` says where it looks.
public struct QueryCatalog: Sendable {
    public private(set) var queries: [NamedQuery] = []
    /// Files that could not be read as named queries (reported by `custody query --list`).
    public private(set) var problems: [String] = []

    public init(directories: [String], includeBuiltIns: Bool = true) {
        var byName: [String: NamedQuery] = [:]
        for directory in directories {
            for (path, text) in Self.files(in: directory) {
                do {
                    let query = try NamedQuery(path: path, text: text, origin: directory + "/" + path)
                    if byName[query.name] == nil { byName[query.name] = query }
                } catch {
                    problems.append("\(directory)/\(path): \(error)")
                }
            }
        }
        if includeBuiltIns {
            for (path, text) in BuiltInQueries.files {
                guard let query = try? NamedQuery(path: path, text: text, origin: "built-in") else { continue }
                if byName[query.name] == nil { byName[query.name] = query }
            }
        }
        queries = byName.values.sorted { ($0.topic, $0.name) < ($1.topic, $1.name) }
    }

    /// A query by `name` or `topic/name`.
    public func query(named text: String) throws -> NamedQuery {
        let name = text.hasSuffix(".sql") ? String(text.dropLast(4)) : text
        if let query = queries.first(where: { $0.name == name || "\($0.topic)/\($0.name)" == name }) { return query }
        let known = queries.map(\.name).joined(separator: ", ")
        throw CustodyError.usage("no named query \(text); known queries: \(known) (custody query --list)")
    }

    /// `topic/name.sql` → text for every `.sql` file under `directory`, in name order.
    static func files(in directory: String) -> [(String, String)] {
        let root = URL(fileURLWithPath: directory)
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var out: [(String, String)] = []
        let prefix = root.standardizedFileURL.path + "/"
        for case let url as URL in enumerator where url.pathExtension == "sql" {
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(prefix), let data = FileManager.default.contents(atPath: path) else { continue }
            out.append((String(path.dropFirst(prefix.count)), String(decoding: data, as: UTF8.self)))
        }
        return out.sorted { $0.0 < $1.0 }
    }
}

/// Where the query files live, in order of precedence:
///
/// 1. `--queries DIR`, then `$CUSTODY_QUERIES` (colon-separated);
/// 2. `<prefix>/share/custody/queries` for a binary installed as `<prefix>/bin/custody`;
/// 3. `queries/` of the source checkout the binary was built in (the first ancestor of the
///    executable holding `Package.swift` and `queries/`: `.build/debug/custody` in a clone).
///
/// Whatever none of them has comes from the built-in copy.
public enum QueryLocator {
    public static func directories(flag: String?, environment: [String: String], executable: String?) -> [String] {
        var out: [String] = []
        if let flag, !flag.isEmpty { out.append(flag) }
        if let env = environment["CUSTODY_QUERIES"] { out += env.split(separator: ":").map(String.init) }
        if let executable {
            let binary = URL(fileURLWithPath: executable).resolvingSymlinksInPath()
            let installed = binary.deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("share/custody/queries")
            if isDirectory(installed.path) { out.append(installed.path) }
            var directory = binary.deletingLastPathComponent()
            while directory.path != "/" {
                let queries = directory.appendingPathComponent("queries")
                if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path), isDirectory(queries.path) {
                    out.append(queries.path)
                    break
                }
                directory = directory.deletingLastPathComponent()
            }
        }
        return out
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
