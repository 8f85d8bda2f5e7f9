// swift-tools-version:6.1
// Amana: protection case management. The module map is drawn in docs/architecture.md.
import PackageDescription

let package = Package(
    name: "Amana",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "amana", targets: ["amana"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        .target(name: "AmanaCore", path: "Modules/AmanaCore"),
        .systemLibrary(
            name: "CSodium", path: "Modules/CSodium", pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "CNcurses", path: "Modules/CNcurses", providers: [.apt(["libncurses-dev"])]),
        .target(name: "Vault", dependencies: ["AmanaCore"], path: "Modules/Vault"),
        .target(name: "VaultSodium", dependencies: ["Vault", "AmanaCore", "CSodium"], path: "Modules/VaultSodium"),
        .target(
            name: "Store",
            dependencies: ["AmanaCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log")],
            path: "Modules/Store"),
        .target(
            name: "PostgresStore",
            dependencies: [
                "AmanaCore", "Store",
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Modules/PostgresStore"),
        .target(
            name: "YAMLSupport",
            dependencies: ["AmanaCore", .product(name: "Yams", package: "Yams")],
            path: "Modules/YAMLSupport"),
        .target(
            name: "FormKit",
            dependencies: ["AmanaCore", "YAMLSupport", .product(name: "Yams", package: "Yams")],
            path: "Modules/FormKit"),
        .target(name: "Workflow", dependencies: ["FormKit", "AmanaCore"], path: "Modules/Workflow"),
        .target(name: "Consent", dependencies: ["FormKit", "AmanaCore"], path: "Modules/Consent"),
        .target(
            name: "Identity",
            dependencies: ["AmanaCore", "YAMLSupport", .product(name: "Yams", package: "Yams")],
            path: "Modules/Identity"),
        .target(
            name: "Kernel",
            dependencies: [
                "AmanaCore", "Vault", "VaultSodium", "Store", "Identity", "YAMLSupport", "FormKit", "Workflow", "Consent",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Modules/Kernel"),
        .target(
            name: "AmanaHTTP",
            dependencies: [
                "Kernel", "AmanaCore", "Identity",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Modules/AmanaHTTP"),
        .target(name: "AmanaTUI", dependencies: ["Kernel", "AmanaCore", "Identity", "FormKit", "CNcurses"], path: "Modules/AmanaTUI"),
        .target(
            name: "AmanaCLI",
            dependencies: [
                "Kernel", "AmanaCore", "AmanaHTTP", "AmanaTUI", "FormKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Modules/AmanaCLI"),
        .executableTarget(
            name: "amana",
            // The composition root: the only place the PostgreSQL store is linked into the kernel's programs.
            dependencies: ["AmanaCLI", "Store", "PostgresStore", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Modules/amana"),

        // Benchmarks: each figure is printed next to its raw baseline measured in the same run.
        .executableTarget(
            name: "amana-bench",
            dependencies: [
                "Kernel", "Vault", "VaultSodium", "CSodium", "Store", "PostgresStore", "Identity", "AmanaCore", "FormKit", "AmanaHTTP",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Yams", package: "Yams"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tools/Bench"),

        // Fuzzing: libFuzzer with `Tools/fuzz.sh` (-DFUZZING); otherwise it replays files (the regression corpus).
        .executableTarget(
            name: "amana-fuzz",
            dependencies: ["Kernel", "FormKit", "AmanaCore", "Identity", "VaultSodium"],
            path: "Tools/Fuzz", exclude: ["Corpus"]),

        // What the suites share: which store they run on (Tools/test.sh runs them on both).
        .target(name: "AmanaTestSupport", dependencies: ["AmanaCore", "Store", "PostgresStore"], path: "Tests/Support"),
        .testTarget(
            name: "FormKitTests", dependencies: ["FormKit", "AmanaCore", "YAMLSupport", .product(name: "Yams", package: "Yams")],
            path: "Tests/FormKitTests",
            exclude: ["Corpus"]),
        .testTarget(name: "WorkflowTests", dependencies: ["Workflow", "FormKit", "AmanaCore"], path: "Tests/WorkflowTests"),
        .testTarget(name: "ConsentTests", dependencies: ["Consent", "FormKit", "AmanaCore"], path: "Tests/ConsentTests"),
        .testTarget(name: "VaultSodiumTests", dependencies: ["VaultSodium", "Vault", "AmanaCore"], path: "Tests/VaultSodiumTests"),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "Store", "PostgresStore", "AmanaTestSupport", "AmanaCore", "VaultSodium", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Tests/StoreTests"),
        .testTarget(name: "IdentityTests", dependencies: ["Identity", "AmanaCore", "YAMLSupport"], path: "Tests/IdentityTests"),
        .testTarget(
            name: "KernelTests",
            dependencies: [
                "Kernel", "Store", "Identity", "Vault", "VaultSodium", "AmanaCore", "FormKit", "Workflow", "AmanaTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Tests/KernelTests"),
        .testTarget(
            name: "AmanaHTTPTests",
            dependencies: [
                "AmanaHTTP", "Kernel", "AmanaCore", "AmanaTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Tests/AmanaHTTPTests"),
        .testTarget(name: "AmanaTUITests", dependencies: ["AmanaTUI", "Kernel", "AmanaCore", "FormKit"], path: "Tests/AmanaTUITests"),
        .testTarget(
            name: "EndToEndTests",
            // Kernel only for its synthetic demo answers; everything else goes through the binary.
            dependencies: ["Kernel", "Store", "PostgresStore", "AmanaCore", "AmanaTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tests/EndToEndTests"),
    ],
    swiftLanguageModes: [.v6]
)
