import Configuration
import Foundation

/// What a program was built from, for the `ot_build_info{service,version,swift}` series: the release the image was
/// built as (`OT_VERSION`, set by the image build) and the Swift compiler that compiled it.
public struct BuildInfo: Sendable, Hashable {
    /// The release, such as `1.4.0`; `dev` for a build that is no release.
    public var version: String
    /// The Swift compiler's version, major.minor, such as `6.3`.
    public var swift: String

    /// Creates build information; the Swift version is the compiler's that built this code.
    public init(version: String = Self.developmentVersion, swift: String = Self.compilerVersion) {
        self.version = version
        self.swift = swift
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
