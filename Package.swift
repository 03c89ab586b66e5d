// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "reconcile",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "reconcile", targets: ["reconcile"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // Already used by async-http-client; named for TLS trust roots (AWS_CA_BUNDLE).
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        // JSON values (parse, write) and hex: plain data formats every other target shares.
        .target(name: "Formats"),
        // SigV4 signing; depends on crypto (and hex) only so it can be tested alone.
        .target(
            name: "AWSSigV4",
            dependencies: ["Formats", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Transport, credentials, endpoints, retries, protocol codecs and service clients.
        .target(
            name: "AWSClient",
            dependencies: [
                "AWSSigV4",
                "Formats",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Manifests, live state, planning, rendering and applying.
        .target(
            name: "ReconcileKit",
            dependencies: [
                "AWSClient",
                "Formats",
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The git commit `make dist` stamps into the binary (a C header it writes; Swift has no value defines).
        .target(name: "BuildInfo"),
        // The Swift concurrency runtime's global-enqueue hook, reached by the linker (see its header).
        .target(name: "RuntimeHooks"),
        .executableTarget(
            name: "reconcile",
            dependencies: [
                "ReconcileKit",
                "BuildInfo",
                "RuntimeHooks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Shared by the test targets: moto server, fault proxy, binary runner.
        .target(
            name: "TestSupport",
            dependencies: [
                "AWSClient",
                "Formats",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "AWSSigV4Tests",
            dependencies: ["AWSSigV4", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(name: "AWSClientTests", dependencies: ["AWSClient", "AWSSigV4", "Formats", "TestSupport"]),
        .testTarget(name: "ReconcileKitTests", dependencies: ["ReconcileKit", "AWSClient", "Formats", "TestSupport"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["TestSupport", "AWSClient", "Formats"]
        ),
    ]
)

// The libFuzzer target for the manifest loader, added only for `make fuzz`
// (RECONCILE_FUZZ=1), so normal builds never compile or link it.
if Context.environment["RECONCILE_FUZZ"] == "1" {
    package.targets.append(
        .executableTarget(name: "ManifestFuzzer", dependencies: ["ReconcileKit"], path: "Fuzz/ManifestFuzzer"))
    package.products.append(.executable(name: "ManifestFuzzer", targets: ["ManifestFuzzer"]))
}
