import Foundation

extension Duration {
    /// Seconds with one decimal: `4.2 s`.
    var seconds: String {
        let tenths = (components.seconds * 10) + components.attoseconds / 100_000_000_000_000_000
        return "\(tenths / 10).\(tenths % 10) s"
    }
}

/// Writes a line to standard output at once, unbuffered, so that progress shows as it happens when the output goes
/// to a file or a pipe (`make run | tee run.log`).
func output(_ text: String = "") {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

/// Prints a line to standard error, for notes and warnings that are not the command's output.
func printNote(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
