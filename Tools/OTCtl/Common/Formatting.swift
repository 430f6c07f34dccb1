import Foundation

extension Int {
    /// The number with thousands separated by commas: `12,345`.
    var grouped: String {
        let digits = String(magnitude)
        var result = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return self < 0 ? "-" + result : result
    }
}

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
