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
        .library(name: "OTRuntime", targets: ["OTRuntime"]),
        .library(name: "OTRuntimeTesting", targets: ["OTRuntimeTesting"]),
        .library(name: "OTSimulation", targets: ["OTSimulation"]),
        .executable(name: "ot-dev-broker", targets: ["DevBroker"]),
        .executable(name: "ot-registrations", targets: ["Registrations"]),
        .executable(name: "ot-statistics", targets: ["Statistics"]),
        .executable(name: "ot-followup-plans", targets: ["FollowUpPlans"]),
        .executable(name: "ot-school-history", targets: ["SchoolHistory"]),
        .executable(name: "ot-dashboard", targets: ["Dashboard"]),
        .executable(name: "otctl", targets: ["OTCtl"]),
        .executable(name: "ot-counting-worker", targets: ["CountingWorker"]),
        .executable(name: "ot-kafka-benchmark", targets: ["KafkaBenchmark"]),
        .executable(name: "ot-runtime-benchmark", targets: ["RuntimeBenchmark"]),
        .executable(name: "ot-registrations-benchmark", targets: ["RegistrationsBenchmark"]),
        .executable(name: "ot-statistics-benchmark", targets: ["StatisticsBenchmark"]),
        .executable(name: "ot-school-history-benchmark", targets: ["SchoolHistoryBenchmark"]),
        .executable(name: "ot-json-benchmark", targets: ["JSONBenchmark"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/JohnSundell/Plot.git", from: "0.14.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
    ],
    targets: [
        // librdkafka from Debian's librdkafka-dev; the C shim gives Swift one prefixed surface.
        .target(
            name: "CRdKafka",
            path: "Shared/CRdKafka",
            cSettings: [.unsafeFlags(["-Wall", "-Wextra", "-Wno-unused-parameter"])],
            linkerSettings: [.linkedLibrary("rdkafka")]
        ),
        // SQLite (Debian's libsqlite3-dev, which GRDB links too): the process-wide settings Swift cannot make.
        .target(
            name: "CSQLite",
            path: "Shared/CSQLite",
            cSettings: [.unsafeFlags(["-Wall", "-Wextra"])],
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),
        // The processes' allocator: jemalloc (Debian's libjemalloc-dev) instead of glibc's malloc, and its settings.
        .target(
            name: "CAllocator",
            path: "Shared/CAllocator",
            cSettings: [.unsafeFlags(["-Wall", "-Wextra"])],
            linkerSettings: [.linkedLibrary("jemalloc")]
        ),
        // Naming a thread for the OS, which Swift's Glibc module cannot (`pthread_setname_np` is a GNU extension).
        .target(
            name: "CThread",
            path: "Shared/CThread",
            cSettings: [.unsafeFlags(["-Wall", "-Wextra"])]
        ),
        .target(
            name: "Kafka",
            dependencies: [
                "CRdKafka",
                "CThread",
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
            dependencies: [
                "Kafka", "OTContract", "ProcessLaunch",
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            path: "Shared/KafkaTesting",
            swiftSettings: strictSwift
        ),
        .target(
            name: "ProcessLaunch",
            dependencies: [
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Shared/ProcessLaunch",
            swiftSettings: strictSwift
        ),
        .target(
            name: "OTStore",
            dependencies: [
                "CSQLite",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/OTStore",
            swiftSettings: strictSwift
        ),
        // Secrets mounted as files (`OT_SECRETS_DIR`), read alike by the services, the dashboard and otctl.
        .target(
            name: "OTSecrets",
            dependencies: [
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Shared/OTSecrets",
            swiftSettings: strictSwift
        ),
        .target(
            name: "OTRuntime",
            dependencies: [
                "CAllocator",
                "CSQLite",
                "CThread",
                "Kafka",
                "OTContract",
                "OTSecrets",
                "OTStore",
                "ProcessLaunch",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/OTRuntime",
            swiftSettings: strictSwift
        ),
        // The worker test harness: run a worker in-process, publish, await output; and a trivial handler.
        .target(
            name: "OTRuntimeTesting",
            dependencies: [
                "OTRuntime", "OTContract", "OTStore", "Kafka", "KafkaTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/OTRuntimeTesting",
            swiftSettings: strictSwift
        ),
        // Swift Testing tags and traits every test target shares: what a suite needs, and the quick unit-test run.
        .target(
            name: "TestTraits",
            path: "Shared/TestTraits",
            swiftSettings: strictSwift
        ),
        // A seeded, deterministic stream of upstream events and case-worker commands for synthetic youths.
        .target(
            name: "OTSimulation",
            dependencies: ["OTContract", "Kafka"],
            path: "Shared/OTSimulation",
            swiftSettings: strictSwift
        ),
        // A worker with a trivial stateful handler (a count per key), for the runtime's crash test.
        .executableTarget(
            name: "CountingWorker",
            dependencies: [
                "OTRuntime", "OTRuntimeTesting", "OTContract", "Kafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/CountingWorker",
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "Registrations",
            dependencies: [
                "OTRuntime", "OTContract", "OTStore", "Kafka",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Registrations",
            resources: [.copy("Resources/units.json")],
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "Statistics",
            dependencies: [
                "OTRuntime", "OTContract", "OTStore",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Statistics",
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "FollowUpPlans",
            dependencies: [
                "OTRuntime", "OTContract", "OTStore",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/FollowUpPlans",
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "SchoolHistory",
            dependencies: [
                "OTRuntime", "OTContract", "OTStore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Services/SchoolHistory",
            swiftSettings: strictSwift
        ),
        // The statistics dashboard: reads ot.statistics.v1 like any dashboard, serves HTML pages (Plot) and JSON.
        .executableTarget(
            name: "Dashboard",
            dependencies: [
                "OTRuntime", "OTContract", "OTSecrets", "Kafka", "ProcessLaunch",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Plot", package: "Plot"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Dashboard",
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "DevBroker",
            dependencies: [
                "Kafka",
                "OTContract",
                "ProcessLaunch",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/DevBroker",
            swiftSettings: strictSwift
        ),
        // The operator CLI: simulate, stats, tail, send, and the development system (`otctl dev`).
        .executableTarget(
            name: "OTCtl",
            dependencies: [
                "Kafka", "OTContract", "OTSecrets", "OTSimulation", "ProcessLaunch",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            path: "Tools/OTCtl",
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "KafkaBenchmark",
            dependencies: [
                "Kafka",
                "KafkaTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Benchmarks/KafkaBenchmark",
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "JSONBenchmark",
            dependencies: ["OTContract", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/JSONBenchmark",
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "RuntimeBenchmark",
            dependencies: [
                "OTRuntime", "OTRuntimeTesting", "Kafka", "KafkaTesting", "OTContract",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/RuntimeBenchmark",
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "RegistrationsBenchmark",
            dependencies: [
                "Kafka", "KafkaTesting", "OTContract", "OTRuntimeTesting", "OTSimulation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/RegistrationsBenchmark",
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "StatisticsBenchmark",
            dependencies: [
                "Kafka", "KafkaTesting", "OTContract", "OTRuntimeTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/StatisticsBenchmark",
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "SchoolHistoryBenchmark",
            dependencies: [
                "Kafka", "KafkaTesting", "OTContract", "OTRuntimeTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/SchoolHistoryBenchmark",
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "KafkaTests",
            dependencies: [
                "TestTraits","Kafka", "KafkaTesting"],
            path: "Tests/KafkaTests",
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "OTStoreTests",
            dependencies: [
                // OTSimulation: its seeded generator, for stores made alike in every run.
                "TestTraits","OTStore", "OTSimulation", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tests/OTStoreTests",
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "OTRuntimeTests",
            dependencies: [
                "TestTraits",
                "OTRuntime", "OTRuntimeTesting", "KafkaTesting", "Kafka", "OTContract", "OTSecrets", "OTStore",
                "CountingWorker",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Tests/OTRuntimeTests",
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "RegistrationsTests",
            dependencies: [
                "TestTraits",
                "Registrations", "OTRuntime", "OTRuntimeTesting", "KafkaTesting", "Kafka", "OTContract", "OTSimulation",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Tests/RegistrationsTests",
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "StatisticsTests",
            dependencies: [
                "TestTraits",
                "Statistics", "Registrations", "OTSimulation", "OTRuntime", "OTRuntimeTesting", "KafkaTesting", "Kafka",
                "OTContract", "OTStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/StatisticsTests",
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "FollowUpPlansTests",
            dependencies: [
                "TestTraits",
                "FollowUpPlans", "OTRuntime", "OTRuntimeTesting", "KafkaTesting", "Kafka", "OTContract",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Tests/FollowUpPlansTests",
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "SchoolHistoryTests",
            dependencies: [
                "TestTraits",
                "SchoolHistory", "OTRuntime", "OTRuntimeTesting", "KafkaTesting", "Kafka", "OTContract",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Tests/SchoolHistoryTests",
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "DashboardTests",
            dependencies: [
                "TestTraits",
                "Dashboard", "KafkaTesting", "Kafka", "OTContract",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/DashboardTests",
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "OTContractTests",
            dependencies: [
                "TestTraits","OTContract",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Tests/OTContractTests",
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "OTSimulationTests",
            dependencies: [
                "TestTraits","OTSimulation", "OTContract", "Kafka"],
            path: "Tests/OTSimulationTests",
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "OTCtlTests",
            dependencies: [
                "TestTraits","OTCtl", "OTSimulation", "OTContract", "Kafka", "KafkaTesting",
                // A real worker writes the dead letters `otctl dlq` reads.
                "OTRuntime", "OTRuntimeTesting",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Tests/OTCtlTests",
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "DevBrokerTests",
            dependencies: [
                "TestTraits","Kafka", "KafkaTesting", "OTContract", "ProcessLaunch"],
            path: "Tests/DevBrokerTests",
            swiftSettings: strictSwift
        ),
    ]
)
