import ArgumentParser
import CustodyQuery

/// The subject flags of `custody blast-radius`: exactly one names what is bad.
struct SubjectOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Package URL; without a version any version matches.", valueName: "purl"))
    var package: String?

    @Option(name: .long, help: ArgumentHelp("Version range in vers: syntax, with a versionless --package.", valueName: "vers"))
    var versions: String?

    @Option(name: .long, help: ArgumentHelp("Advisory id (CVE, GHSA, OSV); aliases are followed.", valueName: "id"))
    var vuln: String?

    @Option(name: .long, help: ArgumentHelp("CI action: OWNER/REPO (any version) or OWNER/REPO@SHA or @REF.", valueName: "action"))
    var action: String?

    @Option(name: .long, help: ArgumentHelp("URL of a script runs fetched and executed (prefix match).", valueName: "url"))
    var fetched: String?

    @Option(name: .long, help: ArgumentHelp("Commit SHA, full or a unique prefix.", valueName: "sha"))
    var commit: String?

    @Option(name: .long, help: ArgumentHelp("Source repository OWNER/REPO (or HOST/OWNER/REPO).", valueName: "repo"))
    var repo: String?

    @Option(name: .long, help: ArgumentHelp("Workflow file OWNER/REPO/.github/workflows/NAME.yml.", valueName: "path"))
    var workflow: String?

    @Option(name: .long, help: ArgumentHelp("Builder id from provenance (a prefix matches every version).", valueName: "id"))
    var builder: String?

    @Option(name: .long, help: ArgumentHelp("Signing identity: key:<fingerprint>, oidc:<issuer>:<subject>, or the subject.", valueName: "id"))
    var signer: String?

    @Option(name: .long, help: ArgumentHelp("Registry or CI account name: what it pushed.", valueName: "name"))
    var actor: String?

    @Option(name: .long, help: ArgumentHelp("Image digest sha256:HEX.", valueName: "digest"))
    var digest: String?

    @Option(name: .long, help: ArgumentHelp("Image reference REPO:TAG: the digests the tag pointed to.", valueName: "ref"))
    var image: String?

    @Option(name: .long, help: ArgumentHelp("Secret key (github:OWNER/REPO:NAME, k8s:CLUSTER/NS/NAME) or a bare name.", valueName: "key"))
    var secret: String?

    func validate() throws {
        _ = try subject()
    }

    /// The one subject given; a usage error when none or several are.
    func subject() throws -> BlastRadiusSubject {
        var given: [(String, BlastRadiusSubject)] = []
        if let package { given.append(("--package", .package(purl: package, versions: versions))) }
        if let vuln { given.append(("--vuln", .vulnerability(vuln))) }
        if let action { given.append(("--action", .action(action))) }
        if let fetched { given.append(("--fetched", .fetched(fetched))) }
        if let commit { given.append(("--commit", .commit(commit))) }
        if let repo { given.append(("--repo", .repository(repo))) }
        if let workflow { given.append(("--workflow", .workflow(workflow))) }
        if let builder { given.append(("--builder", .builder(builder))) }
        if let signer { given.append(("--signer", .signer(signer))) }
        if let actor { given.append(("--actor", .actor(actor))) }
        if let digest { given.append(("--digest", .digest(digest))) }
        if let image { given.append(("--image", .image(image))) }
        if let secret { given.append(("--secret", .secret(secret))) }
        if versions != nil, package == nil {
            throw ValidationError("--versions goes with a versionless --package, e.g. --package pkg:npm/debug --versions 'vers:npm/>=4.4.2|<4.4.3'")
        }
        guard given.count == 1, let subject = given.first?.1 else {
            let names = "--package, --vuln, --action, --fetched, --commit, --repo, --workflow, --builder, --signer, --actor, --digest, --image, --secret"
            if given.isEmpty { throw ValidationError("name exactly one subject: \(names)") }
            throw ValidationError("name exactly one subject, not \(given.map(\.0).joined(separator: " and "))")
        }
        return subject
    }
}
