import OTContract

extension SchoolYear {
    /// The most recently ended school year on `date`: on 2026-11-29 it is 2025-2026, which ended on 31 July 2026,
    /// so that both its reporting dates (1 February and 15 June 2026) are in the past.
    /// - Parameter date: The day to look back from; today in Norway by default.
    public static func mostRecentlyEnded(asOf date: LocalDate = .today()) -> SchoolYear {
        date.schoolYear.previous
    }
}
