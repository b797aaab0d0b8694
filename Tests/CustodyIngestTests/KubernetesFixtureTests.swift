import CustodyCore
@testable import CustodyIngest
import Testing

/// The real kubectl / API output in ../shared/fixtures/k8s. Expected keys and digests were read
/// off the files independently with python3 (json.load, walking items[].metadata.ownerReferences,
/// status.containerStatuses[].imageID and spec volumes/env), not with custody.
@Suite("Kubernetes fixtures")
struct KubernetesFixtureTests {
    static let alpine = "sha256:4bcff63911fcb4448bd4fdacec207030997caf25e9bea4045fa6c8c44de311d1"
    static let cyan = "sha256:0fcfc9231fa11b473973a68c0394e7c85e2117a9ba7a9476897c07e40d718ffa"

    @Test("k3s default namespace: ReplicaSet owners, Deployments inferred from pod-template-hash")
    func k3sDefault() throws {
        let batch = try KubeTest.fixture("k3s-default.pods.json")
        #expect(batch.keys(.artifact) == [Self.alpine])
        // python: {o['name'] for p in items for o in p['metadata']['ownerReferences']}
        #expect(batch.pairs(.controlledBy) == [
            ["test/default/ReplicaSet/backend-api-75fb46b7bd", "test/default/Deployment/backend-api"],
            ["test/default/ReplicaSet/cpu-intensive-app-7bcfc5d944", "test/default/Deployment/cpu-intensive-app"],
            ["test/default/ReplicaSet/memory-hungry-app-59c695fbfb", "test/default/Deployment/memory-hungry-app"],
        ])
        #expect(batch.kubeEdges(.controlledBy).allSatisfy { $0.certainty == .inferred })
        #expect(batch.pairs(.observed).contains(["test/default/ReplicaSet/backend-api-75fb46b7bd", Self.alpine]))
        #expect(batch.keys(.imageReference) == ["docker.io/library/alpine:latest"])
        #expect(batch.pairs(.runsAs).contains(["test/default/ReplicaSet/backend-api-75fb46b7bd", "k8s-sa:test/default/default"]))
        // Two cpu-intensive-app pods are Pending without containerStatuses: reported, not dropped.
        let pending = batch.diagnostics.filter { $0.message.contains("cpu-intensive-app-7bcfc5d944-hw2vc") || $0.message.contains("cpu-intensive-app-7bcfc5d944-n79rt") }
        #expect(pending.count == 2)
        #expect(pending.allSatisfy { $0.severity == .warning && $0.message.contains("no status") })
        // The cpu-intensive-app RS observed alpine with 1 running pod of 3.
        let observed = batch.kubeEdges(.observed).first { batch.ref($0.from).key.hasSuffix("cpu-intensive-app-7bcfc5d944") && batch.ref($0.to).kind == .artifact }
        #expect(observed?.attributes["pods"] == "1")
        #expect(observed?.firstSeen == (try Timestamp(rfc3339: "2025-09-11T20:50:21Z")))
        #expect(batch.pairs(.observed).contains(["test", "test"]))
    }

    @Test("k3s kube-system: Deployments, bare Jobs, a DaemonSet, projected secrets")
    func k3sKubeSystem() throws {
        let batch = try KubeTest.fixture("k3s-kube-system.pods.json")
        // python: sorted({cs['imageID'].split('@')[1] for p in items for cs in p['status']['containerStatuses']})
        #expect(batch.keys(.artifact) == [
            "sha256:1391544c978029fcddc65068f6ad67f396e55585b664ecccd7fefba029b9b706",
            "sha256:5e2e5ab00d5f2652bfea2bc5554d07b57a015fe574434b275a2cb11c2d135c04",
            "sha256:7eb86d5b908ec6ddd9796253d8cc2f43df99420fc8b8a18452a94dc56f86aca0",
            "sha256:80496fdeb307541007621959aa13aed41d31db9cd2dc4167c19833e0bfa3878c",
            "sha256:89258156d0e9af60403eafd44da9676fd66f600c7934d468ccc17e42b199aee2",
            "sha256:9595fc80fa8ed6c5f3876416332ca7c88e8f255daaf265cff6b857b8d0f44503",
        ])
        let owners = Set(batch.kubeEdges(.observed).map { batch.ref($0.from).key }).subtracting(["test"])
        #expect(owners == [
            "test/kube-system/ReplicaSet/coredns-64fd4b4794",
            "test/kube-system/Job/helm-install-traefik-crd",
            "test/kube-system/Job/helm-install-traefik",
            "test/kube-system/ReplicaSet/local-path-provisioner-774c6665dc",
            "test/kube-system/ReplicaSet/metrics-server-7bfffcd44",
            "test/kube-system/DaemonSet/svclb-traefik-9ce4920b",
            "test/kube-system/ReplicaSet/traefik-c98fdf6fb",
        ])
        // Jobs named helm-install-traefik(-crd) are not CronJob children: no schedule suffix.
        #expect(Set(batch.pairs(.controlledBy).map { $0[1] }) == [
            "test/kube-system/Deployment/coredns", "test/kube-system/Deployment/local-path-provisioner",
            "test/kube-system/Deployment/metrics-server", "test/kube-system/Deployment/traefik",
        ])
        #expect(batch.pairs(.mounts) == [
            ["test/kube-system/Job/helm-install-traefik-crd", "k8s:test/kube-system/chart-values-traefik-crd"],
            ["test/kube-system/Job/helm-install-traefik", "k8s:test/kube-system/chart-values-traefik"],
        ])
        #expect(batch.pairs(.runsAs).contains(["test/kube-system/DaemonSet/svclb-traefik-9ce4920b", "k8s-sa:test/kube-system/svclb"]))
        // Succeeded helm Jobs ran their image but are not live.
        let helm = batch.kubeEdges(.observed).first { batch.ref($0.from).key == "test/kube-system/Job/helm-install-traefik" }
        #expect(helm?.attributes["live"] == "false")
        let svclb = batch.kubeEdges(.observed).first { batch.ref($0.from).key.contains("svclb") }
        #expect(svclb?.attributes["containers"] == "lb-tcp-443,lb-tcp-80")
    }

    @Test("kubectl List (containerd imageID) and its YAML twin give the same facts")
    func listJSONAndYAML() throws {
        let json = try KubeTest.fixture("kubectl-get-pods.list.json")
        let yaml = try KubeTest.fixture("kubectl-get-pods.list.yaml")
        #expect(json.keys(.workload) == ["test/default/Pod/t1", "test/default/Pod/t2"])
        #expect(json.keys(.artifact) == [Self.cyan])
        #expect(json.pairs(.storedIn).contains([Self.cyan, "docker.io/itaysk/cyan"]))
        #expect(json.pairs(.refersTo) == [["docker.io/itaysk/cyan:latest", Self.cyan]])
        #expect(json.pairs(.mounts) == [
            ["test/default/Pod/t1", "k8s:test/default/default-token-m7wjs"],
            ["test/default/Pod/t2", "k8s:test/default/default-token-m7wjs"],
        ])
        for kind in [NodeKind.workload, .artifact, .identity, .secret, .imageReference, .namespace, .cluster] {
            #expect(json.keys(kind) == yaml.keys(kind), "\(kind)")
        }
        for kind in [EdgeKind.observed, .mounts, .runsAs, .inNamespace, .refersTo, .storedIn] {
            #expect(json.pairs(kind) == yaml.pairs(kind), "\(kind)")
        }
        let jsonStarts = json.kubeEdges(.observed).map(\.attributes).sorted { ($0["starts"] ?? "") < ($1["starts"] ?? "") }
        let yamlStarts = yaml.kubeEdges(.observed).map(\.attributes).sorted { ($0["starts"] ?? "") < ($1["starts"] ?? "") }
        #expect(jsonStarts == yamlStarts)
    }

    @Test("single Pod object with a dockershim docker-pullable:// imageID")
    func singleMinikubePod() throws {
        let batch = try KubeTest.fixture("kubectl-get-pod.minikube.json")
        #expect(batch.keys(.workload) == ["test/default/Pod/myapp"])
        #expect(batch.keys(.artifact) == ["sha256:96fb261b66270b900ea5a2c17a26abbfabe95506e73c3a3c65869a6dbe83223a"])
        #expect(batch.pairs(.storedIn).contains(["sha256:96fb261b66270b900ea5a2c17a26abbfabe95506e73c3a3c65869a6dbe83223a", "docker.io/library/nginx"]))
        #expect(batch.keys(.secret) == ["k8s:test/default/default-token-nmshj"])
    }

    @Test("typed DeploymentList: top controllers with declared images")
    func deployments() throws {
        let batch = try KubeTest.fixture("k3s-kube-system.deployments.json")
        #expect(batch.keys(.workload) == [
            "test/kube-system/Deployment/coredns", "test/kube-system/Deployment/local-path-provisioner",
            "test/kube-system/Deployment/metrics-server", "test/kube-system/Deployment/traefik",
        ])
        #expect(batch.pairs(.declares).contains(["test/kube-system/Deployment/coredns", "docker.io/rancher/mirrored-coredns-coredns:1.12.3"]))
        #expect(batch.kubeEdges(.observed).isEmpty, "a DeploymentList is not a pod snapshot")
    }

    @Test("detection: kubectl JSON and YAML are recognized; other formats are not stolen")
    func detection() throws {
        let registry = IngestorRegistry.standard
        for name in ["k3s-default.pods.json", "kubectl-get-pod.minikube.json", "k3s-default.deployments.json"] {
            let sample = DetectionSample(fileName: name, bytes: try SharedFixtures.bytes("k8s/" + name))
            #expect(try registry.detect(sample, source: name).descriptor.id == "kubernetes-json")
        }
        let yaml = DetectionSample(fileName: "x.yaml", bytes: try SharedFixtures.bytes("k8s/kubectl-get-pods.list.yaml"))
        #expect(try registry.detect(yaml, source: "x.yaml").descriptor.id == "kubernetes-yaml")
        let report = DetectionSample(fileName: "r.json", bytes: Array(#"{"apiVersion":"aquasecurity.github.io/v1alpha1","kind":"VulnerabilityReport","metadata":{"ownerReferences":[{"kind":"ReplicaSet"}]}}"#.utf8))
        #expect(KubernetesJSONIngestor().detect(report) == .none)
        let audit = DetectionSample(fileName: "audit.log", bytes: Array(#"{"kind":"Event","apiVersion":"audit.k8s.io/v1","auditID":"x"}"#.utf8))
        #expect(KubernetesJSONIngestor().detect(audit) == .none)
        let workflow = DetectionSample(fileName: "ci.yml", bytes: Array("name: ci\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n".utf8))
        #expect(KubernetesYAMLIngestor().detect(workflow) == .none)
    }

    @Test("the image cache's fast paths agree with ImageID.parse and ImageReference(parsing:)", arguments: [
        "docker.io/library/alpine@sha256:4bcff63911fcb4448bd4fdacec207030997caf25e9bea4045fa6c8c44de311d1",
        "docker-pullable://nginx@sha256:96fb261b66270b900ea5a2c17a26abbfabe95506e73c3a3c65869a6dbe83223a",
        "registry.acme.example/web/storefront@sha256:0137dfe999c7744ad7652b2ac5fa20cf2896678c79a2507ab74b762fd970ee46",
        "localhost:5000/a/b@sha256:0137DFE999C7744AD7652B2AC5FA20CF2896678C79A2507AB74B762FD970EE46",
        "Registry.Example:443/team/app@sha256:0137dfe999c7744ad7652b2ac5fa20cf2896678c79a2507ab74b762fd970ee46",
        "docker://sha256:0137dfe999c7744ad7652b2ac5fa20cf2896678c79a2507ab74b762fd970ee46",
        "sha256:0137dfe999c7744ad7652b2ac5fa20cf2896678c79a2507ab74b762fd970ee46",
        "app:1.0@sha256:0137dfe999c7744ad7652b2ac5fa20cf2896678c79a2507ab74b762fd970ee46",
        "UPPER/app@sha256:0137dfe999c7744ad7652b2ac5fa20cf2896678c79a2507ab74b762fd970ee46",
        "",
    ])
    func fastImageIDs(imageID: String) {
        var cache = KubernetesImageCache()
        let fast = cache.classify(imageID)
        let slow = ImageID.parse(imageID)
        switch fast {
        case let .digest(digest, repository):
            #expect(slow?.digest == digest && slow?.repository == repository && slow?.isConfigDigest == false)
        case let .configDigest(digest):
            #expect(slow?.digest == digest && slow?.isConfigDigest == true)
        case .unknown:
            #expect(slow?.digest == nil)
        }
    }

    @Test("fast reference parsing agrees with ImageReference(parsing:)", arguments: [
        "alpine:latest", "nginx", "rancher/klipper-helm:v0.9.8-build20250709", "registry.acme.example/web/storefront:2025.09.08-413",
        "localhost:5000/app:1", "localhost/app", "Registry.Example:443/team/app:v1", "itaysk/cyan", "a/b/c/d:e",
        "UPPER/app:1", "bad path/x:1", "app:", "app:bad tag", "0137dfe999c7744ad7652b2ac5fa20cf2896678c79a2507ab74b762fd970ee46",
        "docker.io/library/busybox:1.36", "index.docker.io/library/busybox:1.36", "x.example/App:1",
    ])
    func fastReferences(text: String) {
        var cache = KubernetesImageCache()
        let fast = cache.reference(text)
        let slow = try? ImageReference(parsing: text)
        #expect(fast == slow, "\(text)")
    }
}
