import Testing
@testable import CustodyCore

/// `FactBatch` after its locations moved into one buffer and its indexes to `FactIndex`:
/// merging rules, lookups and locations as the store reads them.
struct FactBatchTests {
    @Test("locations: first one kept, none apart from empty, repeats stored once")
    func locations() {
        var batch = FactBatch()
        let sbom = batch.node(.sbom, "urn:cdx:x/1", at: "")
        let a = batch.node(.package, "pkg:npm/a@1", at: "/components/12345")
        batch.edge(.contains, from: sbom, to: a, at: "/components/12345")
        let b = batch.node(.package, "pkg:npm/b@1", at: nil)
        #expect(batch.node(.package, "pkg:npm/a@1", at: "/components/99999") == a, "a node seen twice keeps its id")
        #expect(batch.node(.package, "pkg:npm/b@1", at: "/components/7") == b)
        #expect(batch.location(of: batch.nodes[Int(a)]) == "/components/12345", "the first location is kept")
        #expect(batch.location(of: batch.nodes[Int(b)]) == "/components/7", "a node without one gains the later one")
        #expect(batch.location(of: batch.nodes[Int(sbom)]) == "", "empty is a location, not none")

        batch.edge(.dependsOn, from: a, to: b)
        batch.edge(.dependsOn, from: a, to: b, at: "/dependencies/3")
        #expect(batch.edges.count == 2)
        #expect(batch.location(of: batch.edges[0]) == "/components/12345")
        #expect(batch.location(of: batch.edges[1]) == "/dependencies/3")
        #expect(batch.edges[0].location == batch.nodes[Int(a)].location,
                "a location given twice in a row is stored once")
    }

    @Test("locations copied between texts keep their bytes; none stays none")
    func copiedLocations() {
        var source = LocationText()
        let unicode = source.append("/components/0/name/ü")
        let none = source.append(nil)
        var target = LocationText()
        _ = target.append("/other")
        let copied = target.append(unicode, of: source)
        #expect(target[copied] == "/components/0/name/ü")
        #expect(target.append(none, of: source).isNone)
        #expect(target[.none] == nil)
    }

    @Test("indexes: 50,000 nodes and edges found again, duplicates merged, qualifiers apart")
    func manyFacts() {
        var batch = FactBatch()
        let count = 50_000
        for index in 0..<count { batch.node(.package, "pkg:npm/p\(index)@1") }
        for index in 0..<count {
            batch.edge(.dependsOn, from: LocalNodeID(index), to: LocalNodeID((index * 7 + 1) % count), certainty: .inferred)
        }
        for index in stride(from: 0, to: count, by: 3) {
            batch.edge(.dependsOn, from: LocalNodeID(index), to: LocalNodeID((index * 7 + 1) % count))
        }
        batch.edge(.dependsOn, from: 0, to: 1, qualifier: "q")
        batch.edge(.dependsOn, from: 0, to: 1, qualifier: "q")
        #expect(batch.nodes.count == count)
        #expect(batch.edges.count == count + 1)
        #expect(batch.localID(of: NodeRef(.package, "pkg:npm/p31337@1")) == 31337)
        #expect(batch.localID(of: NodeRef(.package, "pkg:npm/p50000@1")) == nil)
        #expect(batch.localID(of: NodeRef(.artifact, "pkg:npm/p1@1")) == nil, "the kind is part of the identity")
        #expect(batch.node(.package, "pkg:npm/p4242@1") == 4242)
        #expect(batch.edges[3].certainty == .recorded, "a repeated edge keeps the stronger certainty")
        #expect(batch.edges[4].certainty == .inferred)
    }

    @Test("an edge fact stays 72 bytes: a large SBOM holds 400,000 of them")
    func edgeFactSize() {
        #expect(MemoryLayout<EdgeFact>.stride == 72)
        #expect(MemoryLayout<LocationRange>.size == 8)
    }
}
