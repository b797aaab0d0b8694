// swift-tools-version:6.1
import PackageDescription

/// Layering (every import points down; see docs/ARCHITECTURE.md):
/// C shims → Core/JSON → Crypto/Store → Ingest/Query → Export → Graphviz → CLI → custody.
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
]

let package = Package(
    name: "custody",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "custody", targets: ["custody"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.90.0"),
    ],
    targets: [
        // System libraries (Debian: libssl-dev, libgraphviz-dev, libzstd-dev; SQLite comes through GRDB).
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CGraphviz", pkgConfig: "libgvc", providers: [.apt(["libgraphviz-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),

        // Layer 0
        .target(name: "CustodyJSON", swiftSettings: strict),
        .target(name: "CustodyCore", swiftSettings: strict),
        // Layer 1
        .target(name: "CustodyCrypto", dependencies: ["CustodyCore", "COpenSSL"], swiftSettings: strict),
        .target(name: "CustodyStore", dependencies: [
            "CustodyCore", "CZstd",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "CompressNIO", package: "compress-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
        ], swiftSettings: strict),
        // Layer 2
        .target(name: "CustodyIngest", dependencies: [
            "CustodyCore", "CustodyJSON", "CustodyCrypto", "CustodyStore",
            .product(name: "Yams", package: "Yams"),
            .product(name: "CompressNIO", package: "compress-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
        ], swiftSettings: strict),
        .target(name: "CustodyQuery", dependencies: ["CustodyCore", "CustodyStore"], swiftSettings: strict),
        // Layer 3
        .target(name: "CustodyExport", dependencies: ["CustodyCore", "CustodyQuery", "CustodyCrypto"], swiftSettings: strict),
        // Layer 4
        .target(name: "CustodyGraphviz", dependencies: ["CustodyExport", "CGraphviz"], swiftSettings: strict),
        // Layer 5
        .target(name: "CustodyCLI", dependencies: [
            "CustodyCore", "CustodyStore", "CustodyIngest", "CustodyQuery", "CustodyExport", "CustodyGraphviz",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        // Layer 6
        .executableTarget(name: "custody", dependencies: ["CustodyCLI"], swiftSettings: strict),

        .testTarget(name: "CustodyCoreTests", dependencies: ["CustodyCore"], swiftSettings: strict),
        .testTarget(name: "CustodyJSONTests", dependencies: ["CustodyJSON"], swiftSettings: strict),
        .testTarget(name: "CustodyStoreTests", dependencies: ["CustodyStore", "CustodyCore", .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: strict),
        .testTarget(name: "CustodyIngestTests", dependencies: ["CustodyIngest", "CustodyStore", "CustodyCore", "CustodyJSON", "CustodyCrypto"],
                    resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "CustodyCLITests", dependencies: ["CustodyCLI", "custody"], swiftSettings: strict),
        .testTarget(name: "CustodyQueryTests", dependencies: ["CustodyQuery", "CustodyStore", "CustodyCore", "CustodyExport", "custody"],
                    swiftSettings: strict),
    ]
)
