import Configuration
import Foundation
import Kafka

/// What a program was built from, for the `ot_build_info{service,version,swift,librdkafka}` series: the release the
/// image was built as (`OT_VERSION`, set by the image build), the Swift compiler that compiled it and the librdkafka
/// it runs with (the consumer's prefetch depends on it: ``KafkaConsumerConfiguration``).
public struct BuildInfo: Sendable, Hashable {
    /// The release, such as `1.4.0`; `dev` for a build that is no release.
    public var version: String
    /// The Swift compiler's version, major.minor, such as `6.3`.
    public var swift: String
    /// The version of the librdkafka loaded, such as `2.0.2`.
    public var librdkafka: String

    /// Creates build information; the Swift version is the compiler's that built this code, the librdkafka version
    /// the loaded library's.
    public init(
        version: String = Self.developmentVersion, swift: String = Self.compilerVersion,
        librdkafka: String = KafkaConfiguration.librdkafkaVersion
    ) {
        self.version = version
        self.swift = swift
        self.librdkafka = librdkafka
    }

    /// Reads the release from `ot.version` (`OT_VERSION`); unset means ``developmentVersion``.
    /// - Parameter config: The settings, as ``ConfigReader/init(environment:)`` reads them.
    public init(config: ConfigReader) {
        self.init(version: config.string(forKey: "ot.version", default: Self.developmentVersion))
    }

    /// The version of a build that is no release.
    public static let developmentVersion = "dev"

    /// The version of the Swift compiler that compiled this code (major.minor; newer than the last one listed here
    /// reads as that one with `+`).
    public static var compilerVersion: String {
        #if compiler(>=6.4)
            "6.4+"
        #elseif compiler(>=6.3)
            "6.3"
        #elseif compiler(>=6.2)
            "6.2"
        #elseif compiler(>=6.1)
            "6.1"
        #else
            "6.0"
        #endif
    }
}
