import Testing
@testable import CustodyCore

// Cases marked [spec] are transcribed from the purl specification's test suite,
// github.com/package-url/purl-spec (MIT licence, © the purl authors):
// tests/types/{maven,npm,pypi,golang,docker,oci,deb,rpm}-test.json, tests/spec/specification-test.json
// and the older test-suite-data.json. [spec, §5.4] marks the few vectors where suite versions disagree
// with each other and with the standard's §5.4 ("separator characters not used as separators are
// encoded"): like the suite's deb (`%2B`) and oci (`%2F`) vectors, we encode `+` and `/` inside values.
// Cases marked [custody] come from FORMATS.md §0.3 (producer quirks of Syft and Trivy).

struct PurlRoundTrip: Sendable, CustomTestStringConvertible {
    let input: String
    let canonical: String
    var testDescription: String { input }
}

private let roundTrips: [PurlRoundTrip] = [
    // [spec] maven
    .init(input: "pkg:maven/org.apache.commons/io@1.3.4", canonical: "pkg:maven/org.apache.commons/io@1.3.4"),
    .init(input: "pkg:maven/org.apache.commons/io", canonical: "pkg:maven/org.apache.commons/io"),
    .init(input: "pkg:Maven/org.apache.xmlgraphics/batik-anim@1.9.1?classifier=sources&repositorY_url=repo.spring.io/release",
          canonical: "pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?classifier=sources&repository_url=repo.spring.io%2Frelease"), // [spec, §5.4]
    .init(input: "pkg:Maven/org.apache.xmlgraphics/batik-anim@1.9.1?type=pom&repositorY_url=repo.spring.io/release",
          canonical: "pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?repository_url=repo.spring.io%2Frelease&type=pom"), // [spec, §5.4]
    .init(input: "pkg:Maven/net.sf.jacob-project/jacob@1.14.3?classifier=x86&type=dll",
          canonical: "pkg:maven/net.sf.jacob-project/jacob@1.14.3?classifier=x86&type=dll"),
    .init(input: "pkg:/maven/org.apache.commons/io", canonical: "pkg:maven/org.apache.commons/io"),
    .init(input: "pkg://maven/org.apache.commons/io", canonical: "pkg:maven/org.apache.commons/io"),
    .init(input: "pkg:///maven/org.apache.commons/io", canonical: "pkg:maven/org.apache.commons/io"),
    .init(input: "pkg:maven/HTTPClient/HTTPClient@0.3-3", canonical: "pkg:maven/HTTPClient/HTTPClient@0.3-3"),
    .init(input: "pkg:maven/mygroup/myartifact@1.0.0%20Final?mykey=my%20value",
          canonical: "pkg:maven/mygroup/myartifact@1.0.0%20Final?mykey=my%20value"),
    // [spec] golang: type folded, subpath slashes stripped, module path case kept
    .init(input: "pkg:GOLANG/google.golang.org/genproto#/googleapis/api/annotations/",
          canonical: "pkg:golang/google.golang.org/genproto#googleapis/api/annotations"),
    .init(input: "pkg:GOLANG/google.golang.org/genproto@abcdedf#/googleapis/api/annotations/",
          canonical: "pkg:golang/google.golang.org/genproto@abcdedf#googleapis/api/annotations"),
    .init(input: "pkg:golang/github.com/gorilla/context@234fd47e07d1004f0aed9c#api",
          canonical: "pkg:golang/github.com/gorilla/context@234fd47e07d1004f0aed9c#api"),
    // [spec] npm
    .init(input: "pkg:npm/%40angular/animation@12.3.1", canonical: "pkg:npm/%40angular/animation@12.3.1"),
    .init(input: "pkg:npm/@babel/core#/googleapis/api/annotations/", canonical: "pkg:npm/%40babel/core#googleapis/api/annotations"),
    .init(input: "pkg:npm/core@2.0.1#/googleapis/api/annotations/", canonical: "pkg:npm/core@2.0.1#googleapis/api/annotations"),
    .init(input: "pkg:npm/LoDash@4.17.21", canonical: "pkg:npm/lodash@4.17.21"),
    .init(input: "pkg:npm/%40MyScope/MyPackage@1.0.0", canonical: "pkg:npm/%40myscope/mypackage@1.0.0"),
    .init(input: "pkg:npm/mypackage@12.4.5?vcs_url=git://host.com/path/to/repo.git%404345abcd34343",
          canonical: "pkg:npm/mypackage@12.4.5?vcs_url=git:%2F%2Fhost.com%2Fpath%2Fto%2Frepo.git%404345abcd34343"), // [spec, §5.4]
    .init(input: "pkg:npm/foo@1.0.0#src/%F0%9F%98%83/file.js", canonical: "pkg:npm/foo@1.0.0#src/%F0%9F%98%83/file.js"),
    .init(input: "pkg:npm/foo@1.0.0?vcs_url=https://a.com/b/c%F0%9F%98%83d.git",
          canonical: "pkg:npm/foo@1.0.0?vcs_url=https:%2F%2Fa.com%2Fb%2Fc%F0%9F%98%83d.git"), // [spec, §5.4]
    .init(input: "pkg:npm/foobar@1.2.3-alpha.1+build.456", canonical: "pkg:npm/foobar@1.2.3-alpha.1%2Bbuild.456"), // [spec, §5.4]
    .init(input: "pkg:npm/foo@1.2.3-%F0%9F%98%83", canonical: "pkg:npm/foo@1.2.3-%F0%9F%98%83"),
    .init(input: "pkg:npm/foo.bar@1.2.3", canonical: "pkg:npm/foo.bar@1.2.3"),
    .init(input: "pkg:npm/packageurl-js@0.0.7?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fpackage-url%2Fpackageurl-js.git",
          canonical: "pkg:npm/packageurl-js@0.0.7?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fpackage-url%2Fpackageurl-js.git"),
    // [spec] pypi (PEP 503 names)
    .init(input: "pkg:pypi/My.PyPI_.--._Package@1.11.1.dev1", canonical: "pkg:pypi/my-pypi-package@1.11.1.dev1"),
    .init(input: "pkg:PYPI/Django_package@1.11.1.dev1", canonical: "pkg:pypi/django-package@1.11.1.dev1"),
    .init(input: "pkg:pypi/django@1.11.1?filename=Django-1.11.1-py2.py3-none-any.whl",
          canonical: "pkg:pypi/django@1.11.1?filename=Django-1.11.1-py2.py3-none-any.whl"),
    // [spec] docker and oci: digests decoded, ":" never encoded
    .init(input: "pkg:docker/customer/dockerimage@sha256%3A244fd47e07d1004f0aed9c?repository_url=gcr.io",
          canonical: "pkg:docker/customer/dockerimage@sha256:244fd47e07d1004f0aed9c?repository_url=gcr.io"),
    .init(input: "pkg:docker/cassandra@latest", canonical: "pkg:docker/cassandra@latest"),
    .init(input: "pkg:docker/smartentry/debian@dc437cc87d10", canonical: "pkg:docker/smartentry/debian@dc437cc87d10"),
    .init(input: "pkg:oci/debian@sha256%3A244fd47e07d10?repository_url=docker.io/library/debian&arch=amd64&tag=latest",
          canonical: "pkg:oci/debian@sha256:244fd47e07d10?arch=amd64&repository_url=docker.io%2Flibrary%2Fdebian&tag=latest"),
    .init(input: "pkg:oci/debian@sha256%3A244fd47e07d10?repository_url=ghcr.io/debian&tag=bullseye",
          canonical: "pkg:oci/debian@sha256:244fd47e07d10?repository_url=ghcr.io%2Fdebian&tag=bullseye"),
    .init(input: "pkg:oci/static@sha256%3A244fd47e07d10?repository_url=gcr.io/distroless/static&tag=latest",
          canonical: "pkg:oci/static@sha256:244fd47e07d10?repository_url=gcr.io%2Fdistroless%2Fstatic&tag=latest"),
    .init(input: "pkg:oci/hello-wasm@sha256%3A244fd47e07d10?tag=v1", canonical: "pkg:oci/hello-wasm@sha256:244fd47e07d10?tag=v1"),
    // [spec] deb and rpm
    .init(input: "pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie", canonical: "pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie"),
    .init(input: "pkg:deb/ubuntu/dpkg@1.19.0.4?arch=amd64", canonical: "pkg:deb/ubuntu/dpkg@1.19.0.4?arch=amd64"),
    .init(input: "pkg:deb/debian/attr@1:2.4.47-2?arch=source", canonical: "pkg:deb/debian/attr@1:2.4.47-2?arch=source"),
    .init(input: "pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64", canonical: "pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64"),
    .init(input: "pkg:Rpm/fedora/curl@7.50.3-1.fc25?Arch=i386&Distro=fedora-25",
          canonical: "pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386&distro=fedora-25"),
    .init(input: "pkg:rpm/centerim@4.22.10-1.el6?arch=i686&epoch=1&distro=fedora-25",
          canonical: "pkg:rpm/centerim@4.22.10-1.el6?arch=i686&distro=fedora-25&epoch=1"),
    // [spec] github, bitbucket (namespace and name folded); gem, nuget, conan, conda, cran, swift, hackage, generic
    .init(input: "pkg:bitbucket/birKenfeld/pyGments-main@244fd47e07d1014f0aed9c",
          canonical: "pkg:bitbucket/birkenfeld/pygments-main@244fd47e07d1014f0aed9c"),
    .init(input: "pkg:github/Package-url/purl-Spec@244fd47e07d1004f0aed9c", canonical: "pkg:github/package-url/purl-spec@244fd47e07d1004f0aed9c"),
    .init(input: "pkg:gem/jruby-launcher@1.1.2?Platform=java", canonical: "pkg:gem/jruby-launcher@1.1.2?platform=java"),
    .init(input: "pkg:Nuget/EnterpriseLibrary.Common@6.0.1304", canonical: "pkg:nuget/EnterpriseLibrary.Common@6.0.1304"),
    .init(input: "pkg:conan/bincrafters/cctz@2.3?channel=stable", canonical: "pkg:conan/bincrafters/cctz@2.3?channel=stable"),
    .init(input: "pkg:conda/absl-py@0.4.1?build=py36h06a4308_0&channel=main&subdir=linux-64&type=tar.bz2",
          canonical: "pkg:conda/absl-py@0.4.1?build=py36h06a4308_0&channel=main&subdir=linux-64&type=tar.bz2"),
    .init(input: "pkg:cran/A3@0.9.1", canonical: "pkg:cran/A3@0.9.1"),
    .init(input: "pkg:swift/github.com/Alamofire/Alamofire@5.4.3", canonical: "pkg:swift/github.com/Alamofire/Alamofire@5.4.3"),
    .init(input: "pkg:hackage/AC-HalfInteger@1.2.1", canonical: "pkg:hackage/AC-HalfInteger@1.2.1"),
    .init(input: "pkg:generic/bitwarderl?checksum=sha1:ad9503c3e994a4f%2Csha256:41bf9088b3a1e6c1ef1d",
          canonical: "pkg:generic/bitwarderl?checksum=sha1:ad9503c3e994a4f%2Csha256:41bf9088b3a1e6c1ef1d"),
    // [spec] type definition examples (apk, alpm)
    .init(input: "pkg:apk/alpine/curl@7.83.0-r0?arch=x86", canonical: "pkg:apk/alpine/curl@7.83.0-r0?arch=x86"),
    .init(input: "pkg:alpm/arch/containers-common@1:0.47.4-4?arch=x86_64", canonical: "pkg:alpm/arch/containers-common@1:0.47.4-4?arch=x86_64"),
    // [custody] producer quirks
    .init(input: "pkg:deb/debian/libc6@2.36-9?package-id=4b756c6f6fb127a3", canonical: "pkg:deb/debian/libc6@2.36-9"),
    .init(input: "pkg:rpm/centos/binutils@2.30-93.el8?epoch=1&arch=aarch64&distro=centos-8.3.2011",
          canonical: "pkg:rpm/centos/binutils@2.30-93.el8?arch=aarch64&distro=centos-8.3.2011&epoch=1"),
    .init(input: "pkg:rpm/redhat/openssl@1.1.1k-7.el8_6?arch=&distro=rhel-8", canonical: "pkg:rpm/redhat/openssl@1.1.1k-7.el8_6?distro=rhel-8"),
    .init(input: "PKG:Deb/Debian/Curl@7.50.3-1", canonical: "pkg:deb/debian/curl@7.50.3-1"),
    .init(input: "pkg:rpm/Fedora/NetworkManager@1.40.0-1.fc37", canonical: "pkg:rpm/fedora/NetworkManager@1.40.0-1.fc37"),
    .init(input: "pkg:apk/Alpine/BusyBox@1.36.1-r2", canonical: "pkg:apk/alpine/busybox@1.36.1-r2"),
    .init(input: "pkg:golang/github.com/BurntSushi/toml@v1.3.2", canonical: "pkg:golang/github.com/BurntSushi/toml@v1.3.2"),
    .init(input: "pkg:oci/registry.example.com%2Fteam%2Fapp@sha256%3AABCDEF0123",
          canonical: "pkg:oci/app@sha256:abcdef0123?repository_url=registry.example.com%2Fteam%2Fapp"),
    .init(input: "  pkg:npm/left-pad@1.3.0\n", canonical: "pkg:npm/left-pad@1.3.0"),
]

struct PurlComponents: Sendable, CustomTestStringConvertible {
    var input: String
    var type: String
    var namespace: String?
    var name: String
    var version: String?
    var qualifiers: [String: String] = [:]
    var subpath: String?
    var testDescription: String { input }
}

/// [spec] "parse" vectors: decoded component values.
private let parsed: [PurlComponents] = [
    .init(input: "pkg:npm/%40angular/animation@12.3.1", type: "npm", namespace: "@angular", name: "animation", version: "12.3.1"),
    .init(input: "pkg:npm/@babel/core#/googleapis/api/annotations/", type: "npm", namespace: "@babel", name: "core",
          version: nil, subpath: "googleapis/api/annotations"),
    .init(input: "pkg:npm/foo@1.0.0#src/%F0%9F%98%83/file.js", type: "npm", name: "foo", version: "1.0.0", subpath: "src/😃/file.js"),
    .init(input: "pkg:npm/foo@1.0.0?vcs_url=https://a.com/b/c%F0%9F%98%83d.git", type: "npm", name: "foo", version: "1.0.0",
          qualifiers: ["vcs_url": "https://a.com/b/c😃d.git"]),
    .init(input: "pkg:npm/packageurl-js@0.0.7?download_url=https%3A%2F%2Fregistry.npmjs.org%2Fpackageurl-js%2F-%2Fpackageurl-js-0.0.7.tgz",
          type: "npm", name: "packageurl-js", version: "0.0.7",
          qualifiers: ["download_url": "https://registry.npmjs.org/packageurl-js/-/packageurl-js-0.0.7.tgz"]),
    .init(input: "pkg:maven/mygroup/myartifact@1.0.0%20Final?mykey=my%20value", type: "maven", namespace: "mygroup",
          name: "myartifact", version: "1.0.0 Final", qualifiers: ["mykey": "my value"]),
    .init(input: "pkg:oci/debian@sha256%3A244fd47e07d10?repository_url=docker.io/library/debian&arch=amd64&tag=latest",
          type: "oci", name: "debian", version: "sha256:244fd47e07d10",
          qualifiers: ["arch": "amd64", "repository_url": "docker.io/library/debian", "tag": "latest"]),
    .init(input: "pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64", type: "deb", namespace: "debian", name: "attr",
          version: "1:2.4.47-2+b1", qualifiers: ["arch": "amd64"]),
    .init(input: "pkg:golang/github.com/gorilla/context@234fd47e07d1004f0aed9c", type: "golang", namespace: "github.com/gorilla",
          name: "context", version: "234fd47e07d1004f0aed9c"),
    .init(input: "pkg:rpm/centerim@4.22.10-1.el6?arch=i686&epoch=1&distro=fedora-25", type: "rpm", name: "centerim",
          version: "4.22.10-1.el6", qualifiers: ["arch": "i686", "distro": "fedora-25", "epoch": "1"]),
    .init(input: "pkg:swift/github.com/Alamofire/Alamofire@5.4.3", type: "swift", namespace: "github.com/Alamofire",
          name: "Alamofire", version: "5.4.3"),
    .init(input: "pkg:docker/customer/dockerimage@sha256:244fd47e07d10?repository_url=gcr.io", type: "docker",
          namespace: "customer", name: "dockerimage", version: "sha256:244fd47e07d10", qualifiers: ["repository_url": "gcr.io"]),
]

struct PurlBuild: Sendable, CustomTestStringConvertible {
    var components: PurlComponents
    var canonical: String
    var testDescription: String { canonical }
}

/// [spec] "build" vectors: components in, canonical string out ([custody] where noted).
private let builds: [PurlBuild] = [
    .init(components: .init(input: "", type: "npm", namespace: "@angular", name: "animation", version: "12.3.1"),
          canonical: "pkg:npm/%40angular/animation@12.3.1"),
    .init(components: .init(input: "", type: "pypi", name: "My.PyPI_.--._Package", version: "1.11.1.dev1"),
          canonical: "pkg:pypi/my-pypi-package@1.11.1.dev1"),
    .init(components: .init(input: "", type: "golang", namespace: "google.golang.org", name: "genproto", version: nil,
                            subpath: "googleapis/api/annotations"),
          canonical: "pkg:golang/google.golang.org/genproto#googleapis/api/annotations"),
    .init(components: .init(input: "", type: "oci", name: "debian", version: "sha256:244fd47e07d10",
                            qualifiers: ["arch": "amd64", "repository_url": "docker.io/library/debian", "tag": "latest"]),
          canonical: "pkg:oci/debian@sha256:244fd47e07d10?arch=amd64&repository_url=docker.io%2Flibrary%2Fdebian&tag=latest"),
    .init(components: .init(input: "", type: "deb", namespace: "debian", name: "attr", version: "1:2.4.47-2+b1", qualifiers: ["arch": "amd64"]),
          canonical: "pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64"),
    .init(components: .init(input: "", type: "rpm", name: "centerim", version: "4.22.10-1.el6",
                            qualifiers: ["arch": "i686", "distro": "fedora-25", "epoch": "1"]),
          canonical: "pkg:rpm/centerim@4.22.10-1.el6?arch=i686&distro=fedora-25&epoch=1"),
    .init(components: .init(input: "", type: "generic", name: "openssl", version: "1.1.10g",
                            qualifiers: ["checksum": "sha1:ad9503c3e994a4f,sha256:41bf9088b3a1e6c1ef1d"]),
          canonical: "pkg:generic/openssl@1.1.10g?checksum=sha1:ad9503c3e994a4f%2Csha256:41bf9088b3a1e6c1ef1d"),
    .init(components: .init(input: "", type: "maven", namespace: "org.apache.xmlgraphics", name: "batik-anim", version: "1.9.1",
                            qualifiers: ["classifier": "foo", "repository_url": "repo.spring.io/release"]),
          canonical: "pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?classifier=foo&repository_url=repo.spring.io%2Frelease"),
    .init(components: .init(input: "", type: "docker", namespace: "customer", name: "dockerimage", version: "sha256:244fd47e07d10",
                            qualifiers: ["repository_url": "gcr.io"]),
          canonical: "pkg:docker/customer/dockerimage@sha256:244fd47e07d10?repository_url=gcr.io"),
    // [custody] npm package.json names carry the scope; empty values and package-id dropped; keys folded.
    .init(components: .init(input: "", type: "NPM", namespace: nil, name: "@Angular/Core", version: "17.0.0",
                            qualifiers: ["Package-ID": "x", "package-id": "abc", "arch": ""]),
          canonical: "pkg:npm/%40angular/core@17.0.0"),
]

/// [spec] inputs that must be rejected, then [custody] malformed encodings that must not trap.
private let invalidInputs: [String] = [
    "EnterpriseLibrary.Common@6.0.1304",
    "pkg:EnterpriseLibrary.Common@6.0.1304",
    "pkg:n&g?inx/nginx@0.8.9",
    "pkg:3nginx/nginx@0.8.9",
    "pkg:nginx:a/nginx@0.8.9",
    "pkg:npm/myartifact@1.0.0?in%20production=true",
    "pkg:maven/@1.3.4",
    "pkg%3Amaven/org.apache.commons/io",
    "pkg:npm/",
    "pkg:npm/foobar@",
    "pkg:hackage",
    "pkg:cran/@0.9.1",
    "pkg:swift/github.com/Alamofire/@5.4.3",
    "",
    "pkg:",
    "https://github.com/package-url/purl-spec",
    "pkg:npm/foo@1.0.0%G1",
    "pkg:npm/foo@1.0.%",
    "pkg:npm/fo%4",
    "pkg:npm/foo?vcs_url=%ZZ",
    "pkg:npm/foo#a/%E",
    "pkg:npm/%FF@1.0.0",
    "pkg:maven/org%C3/io@1",
    "pkg:npm/foo?1key=v",
    "pkg:npm/foo?Key%41=1",
    "pkg:npm/foo?=value",
    "pkg:npm/foo?a=1&a=2",
    "pkg:npm/foo#a/%2F/b",
]

@Suite("PackageURL")
struct PackageURLTests {
    @Test("round-trips to the canonical form", arguments: roundTrips)
    func roundTrip(_ vector: PurlRoundTrip) throws {
        let purl = try PackageURL(parsing: vector.input)
        #expect(purl.canonical == vector.canonical)
        #expect(try PackageURL(parsing: purl.canonical) == purl, "canonical form must re-parse to the same value")
    }

    @Test("parses into decoded components", arguments: parsed)
    func parse(_ vector: PurlComponents) throws {
        let purl = try PackageURL(parsing: vector.input)
        #expect(purl.type == vector.type)
        #expect(purl.namespace == vector.namespace)
        #expect(purl.name == vector.name)
        #expect(purl.version == vector.version)
        #expect(purl.qualifiers.map(\.key) == vector.qualifiers.keys.sorted())
        #expect(Dictionary(uniqueKeysWithValues: purl.qualifiers.map { ($0.key, $0.value) }) == vector.qualifiers)
        #expect(purl.subpath == vector.subpath)
    }

    @Test("builds the canonical form from components", arguments: builds)
    func build(_ vector: PurlBuild) {
        let c = vector.components
        let purl = PackageURL(type: c.type, namespace: c.namespace, name: c.name, version: c.version,
                              qualifiers: c.qualifiers, subpath: c.subpath)
        #expect(purl.canonical == vector.canonical)
    }

    @Test("rejects invalid input with a CustodyError", arguments: invalidInputs)
    func rejects(_ input: String) {
        let error = #expect(throws: CustodyError.self) { try PackageURL(parsing: input) }
        #expect(error?.code == .rejectedInput)
        #expect(error?.message.contains("invalid package URL") == true)
    }

    @Test("identity keys ignore qualifiers and subpath but keep the version")
    func identityKeys() throws {
        let syft = try PackageURL(parsing: "pkg:deb/debian/libc6@2.36-9?package-id=4b756c6f6fb127a3")
        let syftPurl = try PackageURL(parsing: "pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12")
        let trivy = try PackageURL(parsing: "pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12.4#usr/lib")
        #expect(syft.identityKey == "pkg:deb/debian/libc6@2.36-9")
        #expect(syftPurl.identityKey == syft.identityKey)
        #expect(trivy.identityKey == syft.identityKey)
        #expect(trivy.versionlessKey == "pkg:deb/debian/libc6")
        #expect(trivy != syftPurl, "qualifiers stay part of the full value")

        let scoped = try PackageURL(parsing: "pkg:npm/%40types/node@20.11.5?repository_url=https://registry.npmjs.org")
        #expect(scoped.identityKey == "pkg:npm/%40types/node@20.11.5")
        #expect(scoped.versionlessKey == "pkg:npm/%40types/node")

        // Keys are written into an allocation of exactly their size: encoded bytes in every part.
        let encoded = PackageURL(type: "generic", namespace: "org/grün", name: "na me", version: "1+2")
        #expect(encoded.identityKey == "pkg:generic/org/gr%C3%BCn/na%20me@1%2B2")
        #expect(encoded.versionlessKey == "pkg:generic/org/gr%C3%BCn/na%20me")
        #expect(PackageURL(type: "generic", namespace: nil, name: "x", version: nil).identityKey == "pkg:generic/x")
    }

    @Test("old producers' encoded colons map to the same key as current ones")
    func encodedColon() throws {
        let old = try PackageURL(parsing: "pkg:oci/rails@sha256%3Aa27fd8080b517143cbbbab9dfb7c8571c40d67d534bbdee55bd6c473f432b177?arch=arm64")
        let new = try PackageURL(parsing: "pkg:oci/rails@sha256:a27fd8080b517143cbbbab9dfb7c8571c40d67d534bbdee55bd6c473f432b177")
        #expect(old.version == "sha256:a27fd8080b517143cbbbab9dfb7c8571c40d67d534bbdee55bd6c473f432b177")
        #expect(old.identityKey == new.identityKey)
        #expect(!old.canonical.contains("%3A"))
    }

    @Test("Syft's OCI name and Trivy's spec-shaped OCI purl share an identity")
    func ociShapes() throws {
        let syft = try PackageURL(parsing: "pkg:oci/registry.example.com%2Fteam%2Fapp@sha256:ABCDEF0123")
        let trivy = try PackageURL(parsing: "pkg:oci/app@sha256:abcdef0123?repository_url=registry.example.com/team/app")
        #expect(syft.namespace == nil)
        #expect(syft.name == "app")
        #expect(syft.qualifier("repository_url") == "registry.example.com/team/app")
        #expect(syft.identityKey == trivy.identityKey)
        #expect(syft == trivy)
        let withNamespace = PackageURL(type: "oci", namespace: "ghcr.io/acme", name: "Tool", version: "sha256:00ff")
        #expect(withNamespace.canonical == "pkg:oci/tool@sha256:00ff?repository_url=ghcr.io%2Facme%2FTool")
    }

    @Test("case folding follows each type's rules")
    func caseFolding() throws {
        let golang = try PackageURL(parsing: "pkg:golang/github.com/BurntSushi/toml@v1.3.2")
        let folded = try PackageURL(parsing: "pkg:golang/github.com/burntsushi/toml@v1.3.2")
        #expect(golang.namespace == "github.com/BurntSushi")
        #expect(golang.identityKey != folded.identityKey, "Go module paths are case-sensitive")
        #expect(try PackageURL(parsing: "pkg:maven/com.Example/Lib@1.0").canonical == "pkg:maven/com.Example/Lib@1.0")
        #expect(try PackageURL(parsing: "pkg:rpm/RedHat/NetworkManager@1.0").canonical == "pkg:rpm/redhat/NetworkManager@1.0")
        #expect(try PackageURL(parsing: "pkg:alpm/Arch/Pacman@6.0.1-1").canonical == "pkg:alpm/arch/pacman@6.0.1-1")
        #expect(try PackageURL(parsing: "pkg:pypi/Zope.Interface@6.1").name == "zope-interface")
        #expect(try PackageURL(parsing: "pkg:nuget/Newtonsoft.Json@13.0.3").name == "Newtonsoft.Json")
    }

    @Test("qualifier lookup, equality and hashing use normalized values")
    func qualifiersAndHashing() throws {
        let a = try PackageURL(parsing: "pkg:rpm/centos/bash@4.2.46-34.el7?epoch=0&arch=x86_64&distro=centos-7")
        let b = try PackageURL(parsing: "pkg://RPM/CentOS/bash@4.2.46-34.el7?Distro=centos-7&ARCH=x86_64&epoch=0&package-id=1f2e")
        #expect(a.qualifier("ARCH") == "x86_64")
        #expect(a.qualifier("missing") == nil)
        #expect(a.qualifiers.map(\.key) == ["arch", "distro", "epoch"])
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        #expect(a.description == a.canonical)
    }

    /// A crafted purl with tens of thousands of qualifiers (hostile input): repeated keys are
    /// still found (same value: kept once; another value: rejected) when they come last.
    /// Checking each key against every earlier one took 6 s for 60,000 (now a lookup).
    @Test("a purl with 40,000 qualifiers parses, and a late repeated key is still caught")
    func manyQualifiers() throws {
        let pairs = (0..<40_000).map { "k\($0)=v\($0)" }.joined(separator: "&")
        let purl = try PackageURL(parsing: "pkg:npm/a@1?\(pairs)&K39999=v39999&k0=v0")
        #expect(purl.qualifiers.count == 40_000)
        #expect(purl.qualifier("k39999") == "v39999")
        #expect(purl.identityKey == "pkg:npm/a@1")
        let conflict = #expect(throws: CustodyError.self) { try PackageURL(parsing: "pkg:npm/a@1?\(pairs)&k0=other") }
        #expect(conflict?.message.contains("the qualifier \"k0\" appears twice with different values") == true)
    }

    @Test("rejection messages say what is wrong")
    func messages() {
        let scheme = #expect(throws: CustodyError.self) { try PackageURL(parsing: "npm/left-pad@1.3.0") }
        #expect(scheme?.message.contains("\"pkg:\" scheme") == true)
        let encoding = #expect(throws: CustodyError.self) { try PackageURL(parsing: "pkg:npm/left-pad@1.3.%G0") }
        #expect(encoding?.message.contains("percent-encoding in the version") == true)
        let key = #expect(throws: CustodyError.self) { try PackageURL(parsing: "pkg:npm/a@1?in%20production=true") }
        #expect(key?.message.contains("qualifier key") == true)
    }
}
