import CustodyCore
import CustodyStore

/// Resolves `--package PURL [--versions vers:…]` to package nodes: with a version, that
/// version; without one, any version; with a range, the versions the range contains
/// (compared with the ecosystem's own ordering).
struct PackageMatcher {
    let reader: GraphReader

    func match(purl text: String, versions: String?) throws -> [StoredPackage] {
        let purl: PackageURL
        do {
            purl = try PackageURL(parsing: text)
        } catch {
            throw CustodyError.usage("--package: \(text) is not a valid package URL (\(error)); example: pkg:npm/debug@4.4.2")
        }
        let range: VersionRange?
        do {
            range = try versions.map { try VersionRange(parsing: $0) }
        } catch {
            throw CustodyError.usage("--versions: \(versions ?? "") is not a vers: range (\(error)); example: 'vers:npm/>=4.4.2|<4.4.3'")
        }
        if range != nil, purl.version != nil {
            throw CustodyError.usage("give either a version in the purl or --versions, not both")
        }
        let candidates = try reader.packages(type: purl.type, namespace: purl.namespace ?? "", name: purl.name)
        return candidates.filter { candidate in
            if let version = purl.version { return candidate.version == version }
            if let range { return candidate.version.map(range.contains) ?? false }
            return true
        }
    }
}
