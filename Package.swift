// swift-tools-version:6.1
import PackageDescription

let strictSwift: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "vigo-ot",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Kafka", targets: ["Kafka"]),
        .library(name: "KafkaTesting", targets: ["KafkaTesting"]),
        .library(name: "OTStore", targets: ["OTStore"]),
        .library(name: "OTContract", targets: ["OTContract"]),
        .executable(name: "ot-dev-broker", targets: ["DevBroker"]),
        .executable(name: "ot-kafka-benchmark", targets: ["KafkaBenchmark"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        // librdkafka from Debian's librdkafka-dev; the C shim gives Swift one prefixed surface.
        .target(
            name: "CRdKafka",
            path: "Shared/CRdKafka",
            cSettings: [.unsafeFlags(["-Wall", "-Wextra", "-Wno-unused-parameter"])],
            linkerSettings: [.linkedLibrary("rdkafka")]
        ),
        .target(
            name: "Kafka",
            dependencies: [
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/Kafka",
            swiftSettings: strictSwift
        ),
        .target(
            name: "OTContract",
            path: "Shared/OTContract",
            swiftSettings: strictSwift
        ),
        .target(
            name: "KafkaTesting",
            dependencies: ["Kafka", "OTContract"],
            path: "Shared/KafkaTesting",
            swiftSettings: strictSwift
        ),
        .target(
            name: "OTStore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/OTStore",
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "DevBroker",
            dependencies: [
                "Kafka",
                "OTContract",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/DevBroker",
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "KafkaBenchmark",
            dependencies: [
                "Kafka",
                "KafkaTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/KafkaBenchmark",
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "KafkaTests",
            dependencies: ["Kafka", "KafkaTesting"],
            path: "Tests/KafkaTests",
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "OTStoreTests",
            dependencies: ["OTStore", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tests/OTStoreTests",
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "DevBrokerTests",
            dependencies: ["Kafka", "KafkaTesting", "OTContract"],
            path: "Tests/DevBrokerTests",
            swiftSettings: strictSwift
        ),
    ]
)
