import Foundation

/// Paths to the real third-party files in `../shared/fixtures` and the synthetic incidents in
/// `../shared/scenarios` (CI clones the repository with `shared/` beside it). Never edited.
enum SharedFixtures {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let shared = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")

    static func fixture(_ relative: String) -> URL {
        shared.appendingPathComponent("fixtures").appendingPathComponent(relative)
    }

    static func scenario(_ relative: String) -> URL {
        shared.appendingPathComponent("scenarios").appendingPathComponent(relative)
    }

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: fixture(relative)))
    }
}
