// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "junkai",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "junkai", targets: ["junkai"]),
        .library(name: "JunkaiSolver", targets: ["JunkaiSolver"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Domain knowledge with no dependencies: dates, the Japanese calendar, codes, the register, distance.
        .target(
            name: "JunkaiCore",
            exclude: ["Resources/README.md"],
            resources: [.copy("Resources/lg_register.csv"), .copy("Resources/syukujitsu.csv")]
        ),
        // The planning engine: formats, constraint catalogue, scoring, search. No server, no database.
        .target(name: "JunkaiSolver", dependencies: ["JunkaiCore"]),
        .target(
            name: "JunkaiStore",
            dependencies: [
                "JunkaiCore", "JunkaiSolver",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            // A link to Database/migrations, the files' one home: the build copies them into the resource bundle
            // beside the binary, so `junkai migrate` works wherever the binary is installed.
            resources: [.process("Resources/migrations")]
        ),
        // The planning layer: plan lifecycle, the hard-rule gate of edits and publishing, scoring what is stored.
        .target(name: "JunkaiPlanning", dependencies: ["JunkaiCore", "JunkaiSolver", "JunkaiStore"]),
        .target(
            name: "JunkaiServer",
            dependencies: [
                "JunkaiCore", "JunkaiSolver", "JunkaiStore", "JunkaiPlanning",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Resources/openapi"), .copy("Resources/templates"), .copy("Resources/static")]
        ),
        .executableTarget(
            name: "junkai",
            dependencies: [
                "JunkaiCore", "JunkaiSolver", "JunkaiStore", "JunkaiPlanning", "JunkaiServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "JunkaiCoreTests", dependencies: ["JunkaiCore"]),
        .testTarget(name: "JunkaiSolverTests", dependencies: ["JunkaiSolver", "JunkaiCore"]),
        .testTarget(name: "JunkaiPlanningTests", dependencies: ["JunkaiPlanning", "JunkaiStore", "JunkaiSolver", "JunkaiCore"]),
        .testTarget(
            name: "JunkaiServerTests",
            dependencies: [
                "JunkaiServer", "JunkaiPlanning", "JunkaiStore", "JunkaiSolver", "JunkaiCore",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
    ]
)
