import Foundation
import Testing
@testable import CustodyExport

/// Terminal tables pad ASCII cells without Foundation; the text must be what Foundation's
/// `padding(toLength:withPad:startingAt:)` gives, which the other cells still use.
@Suite struct TablePaddingTests {
    @Test func paddingMatchesFoundation() {
        for value in ["", "a", "cluster0/ns0/Deployment/app0-w0", "sha256:0123", "naïve", "e\u{301}", "🦀 crab", "日本"] {
            for length in [value.count, value.count + 1, value.count + 7, max(value.count - 1, 0)] {
                let length = max(length, value.count)
                var padded = "cell: "
                TextTableRenderer.appendPadded(value, to: length, to: &padded)
                #expect(padded == "cell: " + value.padding(toLength: length, withPad: " ", startingAt: 0),
                        "\(value) to \(length)")
            }
        }
    }
}
