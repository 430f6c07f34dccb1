import Foundation
import Subprocess
import SystemPackage

extension Subprocess.Configuration {
    /// A child process as this system's tools start them: `executable` with `arguments`, the environment of the
    /// running process with `environment` laid over it, in a process group of its own (so a Ctrl-C in the terminal
    /// reaches the parent only, which stops its children itself), and, when its run is cancelled, SIGTERM and then
    /// SIGKILL after `stopGrace`. The child is told this process's pid (``ParentWatch``), so that it stops if this
    /// process dies without stopping it.
    public static func childProcess(
        _ executable: String, arguments: [String], environment: [String: String], stopGrace: Duration
    ) -> Subprocess.Configuration {
        var options = PlatformOptions()
        options.processGroupID = 0
        options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: stopGrace)]
        var launched = environment
        launched[ParentWatch.variable] = String(ProcessInfo.processInfo.processIdentifier)
        let overrides = Dictionary(
            uniqueKeysWithValues: launched.compactMap { name, value in
                Environment.Key(rawValue: name).map { ($0, Optional(value)) }
            })
        return Subprocess.Configuration(
            executable: .path(FilePath(executable)), arguments: Arguments(arguments),
            environment: .inherit.updating(overrides), platformOptions: options)
    }
}
