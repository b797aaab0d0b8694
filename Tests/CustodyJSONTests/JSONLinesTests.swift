import CustodyJSON
import Testing

/// JSON Lines: one bad line never hides the others.
@Suite struct JSONLinesTests {
    @Test func badMiddleLineIsReportedAndOthersParse() throws {
        let text = "{\"a\": 1}\n{bad\n\n  \n{\"a\": 3}\r\n[1, 2"
        let results = JSONLines.parse(Array(text.utf8))
        #expect(results.map(\.line) == [1, 2, 5, 6])
        #expect(try results[0].result.get().root["a"]?.int64 == 1)
        #expect(try results[2].result.get().root["a"]?.int64 == 3)

        guard case .failure(let bad) = results[1].result else {
            Issue.record("line 2 should fail")
            return
        }
        #expect(bad.message == "unexpected character 'b', expected a string key")
        #expect(bad.line == 2)
        #expect(bad.column == 2)
        #expect(bad.byteOffset == 10, "offset within the whole buffer")

        guard case .failure(let truncated) = results[3].result else {
            Issue.record("line 6 should fail")
            return
        }
        #expect(truncated.message == "unexpected end of input inside an array")
        #expect(truncated.line == 6)
    }

    @Test func emptyAndBlankInputs() {
        #expect(JSONLines.parse([]).isEmpty)
        #expect(JSONLines.parse(Array("\n\n \r\n".utf8)).isEmpty)
        let bom = JSONLines.parse([0xEF, 0xBB, 0xBF] + Array("1\n2".utf8))
        #expect(bom.map(\.line) == [1, 2])
        #expect(bom.compactMap { try? $0.result.get().root.int64 } == [1, 2])
    }

    @Test func limitsApplyPerLine() throws {
        let text = "[[1]]\n[[[1]]]\n"
        let results = JSONLines.parse(Array(text.utf8), limits: JSONLimits(maxDepth: 2))
        #expect((try? results[0].result.get()) != nil)
        guard case .failure(let error) = results[1].result else {
            Issue.record("line 2 should exceed the depth")
            return
        }
        #expect(error.description == "nesting deeper than 2 levels (line 2, column 3)")
    }

    @Test func streamingFormStopsWhenBodyThrows() {
        struct Stop: Error {}
        var seen: [Int] = []
        #expect(throws: Stop.self) {
            try JSONLines.forEachLine(Array("1\n2\n3\n".utf8)) { line, _ throws(Stop) in
                seen.append(line)
                if line == 2 { throw Stop() }
            }
        }
        #expect(seen == [1, 2])
    }
}
