import OTContract

/// One count as a page shows it: a number, or hidden (suppressed), never a hidden count shown as zero.
enum Figure: Sendable, Equatable {
    /// A published count.
    case count(Int)
    /// A suppressed cell (`null` in the record, listed in its `suppressed`).
    case suppressed
    /// Not in the record at all.
    case absent

    /// The cell at `path` of `record`, whose value is `value` (`nil`: published as `null`).
    init(_ record: StatisticsUpdated, path: String, value: Int??) {
        switch value {
        case .none: self = .absent
        case .some(.none): self = .suppressed
        case .some(.some(let count)): self = record.suppressed.contains(path) ? .suppressed : .count(count)
        }
    }

    /// The count, when published.
    var value: Int? {
        if case .count(let value) = self { value } else { nil }
    }

    /// The text for a table cell or a label.
    func text(_ text: DashboardText) -> String {
        switch self {
        case .count(let value): text.format(value)
        case .suppressed: text.suppressed
        case .absent: "–"
        }
    }
}
