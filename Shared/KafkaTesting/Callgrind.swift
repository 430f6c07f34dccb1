import Foundation

/// A product of this package run under valgrind's callgrind, for benchmarks: callgrind counts the instructions a
/// process executes, which vary far less from run to run than a rate or a CPU time on this two-core machine (within
/// about 0.6 % against 10 % and more for one build), so two builds compare by their counts. They are not independent
/// of time: work done on a clock (a scrape, a statistics report, a poll) and how the input falls into batches still
/// move them, most on a busy machine.
public enum Callgrind {
    /// The executable and arguments that run `product` (found beside the running executable) under callgrind with its
    /// profile written to `profile` at exit: for ``ChildProcess``, whose process id is then the service's (valgrind
    /// runs the program in its own process).
    ///
    /// The program runs as a copy in `directory` without its debugging information: valgrind 3.19 (Debian 12) cannot
    /// read the DWARF 5 of Swift's release builds and gives up. The symbol table stays, so `callgrind_annotate`
    /// still names the functions.
    public static func launch(_ product: String, profile: String, in directory: URL) async throws
        -> (executable: String, arguments: [String])
    {
        let valgrind = try tool("valgrind", package: "valgrind")
        let objcopy = try tool("objcopy", package: "binutils")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let copy = directory.appendingPathComponent(product).path
        let original = ChildProcess.buildDirectory.appendingPathComponent(product).path
        let strip = try await ChildProcess(executable: objcopy, arguments: ["--strip-debug", original, copy])
        let status = await strip.waitForExit()
        guard status == 0 else {
            throw CallgrindError.failed("objcopy --strip-debug \(original) exited with \(status)")
        }
        let profile = URL(fileURLWithPath: profile).path  // valgrind may run in another folder
        return (valgrind, ["--tool=callgrind", "--callgrind-out-file=\(profile)", "--dump-instr=no", copy])
    }

    /// Sets the counts of the process `pid`, run under callgrind, back to zero (`callgrind_control --zero`): what it
    /// did so far is left out of its profile.
    public static func zero(pid: Int32) async throws {
        let control = try await ChildProcess(
            executable: try tool("callgrind_control", package: "valgrind"), arguments: ["--zero", "\(pid)"])
        let status = await control.waitForExit()
        guard status == 0 else { throw CallgrindError.failed("callgrind_control --zero \(pid) exited with \(status)") }
    }

    /// The instructions a finished profile counted: its `summary:` line (callgrind's totals over every thread).
    public static func instructions(in profile: String) throws -> Int {
        let text: String
        do { text = try String(contentsOfFile: profile, encoding: .utf8) } catch {
            throw CallgrindError.failed("no callgrind profile at \(profile): did the process exit normally?")
        }
        for line in text.split(separator: "\n") where line.hasPrefix("summary:") {
            if let count = Int(line.dropFirst("summary:".count).trimmingCharacters(in: .whitespaces)) {
                return count
            }
        }
        throw CallgrindError.failed("\(profile) has no summary line: not a finished callgrind profile")
    }

    /// The path of `name` on `PATH`.
    private static func tool(_ name: String, package: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw CallgrindError.failed("\(name) is not installed (Debian: apt-get install \(package))")
    }
}
