import OTContract

/// The reporting dates of every school year: 1 February and 15 June unless configured otherwise
/// (`OT_STATISTICS_REPORTING_DATES=02-01,06-15`).
struct ReportingCalendar: Sendable, Equatable {
    /// Month and day of each reporting date, in calendar order.
    let monthDays: [(month: Int, day: Int)]

    static let standard = ReportingCalendar(monthDays: [(2, 1), (6, 15)])

    init(monthDays: [(month: Int, day: Int)]) {
        self.monthDays = monthDays.sorted { ($0.month, $0.day) < ($1.month, $1.day) }
    }

    /// Reads `MM-DD,MM-DD`.
    init(_ text: String) throws(ContractError) {
        var monthDays: [(Int, Int)] = []
        for item in text.split(separator: ",") {
            let parts = item.trimmingCharacters(in: .whitespaces).split(separator: "-")
            guard parts.count == 2, let month = Int(parts[0]), let day = Int(parts[1]),
                (try? LocalDate(year: 2024, month: month, day: day)) != nil
            else {
                throw .invalidField("OT_STATISTICS_REPORTING_DATES", reason: "\(item) is not a month and day MM-DD")
            }
            monthDays.append((month, day))
        }
        guard !monthDays.isEmpty else {
            throw .invalidField("OT_STATISTICS_REPORTING_DATES", reason: "names no reporting date")
        }
        self.init(monthDays: monthDays)
    }

    /// The reporting dates from `start` through `end`, in order.
    func dates(from start: LocalDate, through end: LocalDate) -> [LocalDate] {
        guard start <= end else { return [] }
        var dates: [LocalDate] = []
        for year in start.year...end.year {
            for (month, day) in monthDays {
                // 29 February falls back to the 28th in other years.
                guard
                    let date = (try? LocalDate(year: year, month: month, day: day))
                        ?? (try? LocalDate(year: year, month: month, day: day - 1))
                else { continue }
                if start <= date && date <= end { dates.append(date) }
            }
        }
        return dates
    }

    static func == (lhs: ReportingCalendar, rhs: ReportingCalendar) -> Bool {
        lhs.monthDays.map { [$0.month, $0.day] } == rhs.monthDays.map { [$0.month, $0.day] }
    }
}
