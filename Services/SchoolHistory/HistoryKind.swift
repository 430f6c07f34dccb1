import Foundation

/// The kinds of fact a school history holds (table `history`, column `kind`).
enum HistoryKind: String, CaseIterable {
    case application = "APPLICATION"
    case offer = "OFFER"
    case enrollment = "ENROLLMENT"
    case dropout = "DROPOUT"
    case completion = "COMPLETION"

    /// One encoder for the stored entries: its configuration never changes after this.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
