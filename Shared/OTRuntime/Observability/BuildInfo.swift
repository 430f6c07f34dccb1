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

    /// Reads `OT_VERSION`; unset or empty means ``developmentVersion``.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> BuildInfo {
        BuildInfo(version: environment[versionVariable].flatMap { $0.isEmpty ? nil : $0 } ?? developmentVersion)
    }

    /// The environment variable that names the release (the Dockerfile's `OT_VERSION` build argument).
    public static let versionVariable = "OT_VERSION"

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
