/// An error otctl reports to its user: one line saying what went wrong and, where it helps, what to do.
struct OTCtlError: Error, CustomStringConvertible {
    /// What went wrong.
    var message: String

    /// Creates an error with its message; national IDs in it are masked.
    init(_ message: String) {
        self.message = Masking.maskNationalIDs(in: message)
    }

    var description: String { message }
}
