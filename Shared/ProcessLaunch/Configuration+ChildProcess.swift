import Subprocess
import SystemPackage

extension Subprocess.Configuration {
    /// A child process as this system's tools start them: `executable` with `arguments`, the environment of the
    /// running process with `environment` laid over it, in a process group of its own (so a Ctrl-C in the terminal
    /// reaches the parent only, which stops its children itself), and, when its run is cancelled, SIGTERM and then
    /// SIGKILL after `stopGrace`.
    public static func childProcess(
        _ executable: String, arguments: [String], environment: [String: String], stopGrace: Duration
    ) -> Subprocess.Configuration {
        var options = PlatformOptions()
        options.processGroupID = 0
        options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: stopGrace)]
        let overrides = Dictionary(
            uniqueKeysWithValues: environment.compactMap { name, value in
                Environment.Key(rawValue: name).map { ($0, Optional(value)) }
            })
        return Subprocess.Configuration(
            executable: .path(FilePath(executable)), arguments: Arguments(arguments),
            environment: .inherit.updating(overrides), platformOptions: options)
    }
}
