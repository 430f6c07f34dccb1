/// OT's target group by age, as the law in force on a date sets it.
///
/// A youth belongs from the calendar year they turn 15 to the end of the calendar year they turn the upper age: 21
/// under the old law (opplæringslova 1998 § 3-6, forskrift chapter 13), 24 under opplæringslova 2024 § 9-4, in
/// force from 1 August 2024 (domain.md). Events carry dates, and every rule applies as of the event's date.
public enum OTAgeGroup {
    /// The day the upper age went from 21 to 24.
    public static let upperAgeRaisedOn = LocalDate(unchecked: 2024, 8, 1)

    /// The upper age (at the end of the calendar year) in force on `date`.
    public static func upperAge(on date: LocalDate) -> Int { date < upperAgeRaisedOn ? 21 : 24 }

    /// Whether a youth born on `birthDate` is in the group on `date`.
    public static func contains(birthDate: LocalDate, on date: LocalDate) -> Bool {
        let age = birthDate.ageAtEndOfYear(date.year)
        return age >= 15 && age <= upperAge(on: date)
    }

    /// The last day in the group of a youth who is in it on `date`: 31 December of the first calendar year, from
    /// `date`'s on, at whose end the youth has reached the upper age then in force. A youth who would have aged out
    /// at the end of 2024 under the old law stays: on 31 December 2024 the upper age is already 24.
    public static func lastDay(birthDate: LocalDate, from date: LocalDate) -> LocalDate {
        var year = date.year
        while true {
            let yearEnd = LocalDate(unchecked: year, 12, 31)
            if birthDate.ageAtEndOfYear(year) >= upperAge(on: yearEnd) { return yearEnd }
            year += 1
        }
    }
}
