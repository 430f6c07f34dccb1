import OTContract

/// Every text the pages show, in one language.
struct DashboardText: Sendable {
    let language: DashboardLanguage

    init(_ language: DashboardLanguage) { self.language = language }

    private func pick(_ norwegian: String, _ english: String) -> String {
        language == .norwegian ? norwegian : english
    }

    var siteTitle: String { pick("OT-statistikk", "OT statistics") }
    var skipToContent: String { pick("Hopp til innholdet", "Skip to content") }
    var nation: String { pick("Hele landet", "Norway") }
    var otherLanguage: (name: String, language: DashboardLanguage) {
        language == .norwegian ? ("English", .english) : ("Norsk", .norwegian)
    }
    var breadcrumbs: String { pick("Du er her", "You are here") }
    func unit(_ id: String) -> String { pick("OT-enhet \(id)", "OT unit \(id)") }
    func figuresAsOf(_ date: LocalDate, _ schoolYear: SchoolYear) -> String {
        pick(
            "Tall per \(format(date)), skoleåret \(schoolYear.startYear)–\(schoolYear.startYear + 1).",
            "Figures as of \(format(date)), school year \(schoolYear.startYear)–\(schoolYear.startYear + 1).")
    }
    var liveNote: String {
        pick("Siden oppdateres av seg selv når nye tall kommer.", "The page updates itself when new figures arrive.")
    }
    var noFigures: String { pick("Ingen tall ennå for dette området.", "No figures yet for this area.") }
    var keyFigures: String { pick("Nøkkeltall", "Key figures") }
    var keyFiguresNote: String {
        pick(
            "Nå og på de siste rapporteringsdatoene (1. februar og 15. juni).",
            "Now and on the latest reporting dates (1 February and 15 June).")
    }
    var statusGroups: String { pick("Statusgrupper", "Status groups") }
    var schoolYearFlow: String { pick("Skoleåret så langt", "The school year so far") }
    var reasons: String { pick("Årsak til registrering", "Reason for registration") }
    var ageBands: String { pick("Alder ved årets slutt", "Age at the end of the year") }
    var gender: String { pick("Kjønn", "Gender") }
    var trend: String { pick("Utvikling på rapporteringsdatoene", "Trend on the reporting dates") }
    var counties: String { pick("Fylker", "Counties") }
    var units: String { pick("OT-enheter", "OT units") }
    var openRegistrations: String { pick("Registrert i OT", "Registered in OT") }
    var unknownShare: String { pick("Andel med ukjent aktivitet", "Share with unknown activity") }
    var flowRegistered: String { pick("Registrert i løpet av skoleåret", "Registered during the school year") }
    var flowReachedActivity: String { pick("Av dem: i aktivitet en gang", "Of them: in activity at some time") }
    var flowPreviousYear: String {
        pick("Av dem: også registrert skoleåret før", "Of them: also registered the year before")
    }
    var suppressed: String { pick("skjult", "hidden") }
    var suppressedExplanation: String {
        pick(
            "Skjult: tall fra 1 til 4 vises ikke, og noen andre tall er skjult slik at de ikke kan regnes ut fra "
                + "summene. Det beskytter enkeltpersoner. Et skjult tall er ikke null.",
            "Hidden: counts from 1 to 4 are not shown, and some other counts are hidden so that they cannot be "
                + "worked out from the totals. This protects individuals. A hidden count is not zero.")
    }
    var suppressedNotDrawn: String { pick("Skjulte tall er ikke tegnet.", "Hidden counts are not drawn.") }
    var now: String { pick("Nå", "Now") }
    var category: String { pick("Kategori", "Category") }
    var count: String { pick("Antall", "Count") }
    var date: String { pick("Dato", "Date") }
    var table: String { pick("Tabell", "Table") }
    var area: String { pick("Område", "Area") }
    var json: String { pick("Tallene som JSON", "These figures as JSON") }
    var source: String {
        pick(
            "Kilde: ot-statistics (ot.statistics.v1). Bare antall, ingen personopplysninger.",
            "Source: ot-statistics (ot.statistics.v1). Counts only, no personal data.")
    }
    var notFound: String { pick("Finnes ikke", "Not found") }
    func chartSummary(_ title: String, _ parts: [String]) -> String {
        "\(title): " + parts.joined(separator: "; ")
    }

    /// A status group's name.
    func statusGroup(_ group: OTStatusGroup) -> String {
        guard language == .english else { return group.name }
        return switch group {
        case .ukjentAktivitet: "Unknown activity"
        case .underOppfolging: "Under follow-up and guidance"
        case .iAktivitet: "In activity"
        case .avklart: "Clarified"
        case .ikkeIMalgruppen: "Registered, not in the target group"
        }
    }

    /// A registration reason's name.
    func reason(_ reason: RegistrationReason) -> String {
        switch reason {
        case .ikkeSokt: pick("Søkte ikke", "Did not apply")
        case .takketNei: pick("Takket nei eller svarte ikke", "Declined or did not answer")
        case .sluttet: pick("Sluttet", "Dropped out")
        case .annet: pick("Annet", "Other")
        }
    }

    /// A gender key's name (`K`, `M`, `UKJENT`).
    func gender(_ key: String) -> String {
        switch key {
        case Gender.kvinne.rawValue: pick("Kvinner", "Women")
        case Gender.mann.rawValue: pick("Menn", "Men")
        default: pick("Ukjent", "Unknown")
        }
    }

    /// An age band's name.
    func ageBand(_ band: AgeBand) -> String { pick("\(band.rawValue) år", "\(band.rawValue) years") }

    /// A count with thousands grouped: `12 345` (a no-break space) or `12,345`.
    func format(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped += language == .norwegian ? "\u{00A0}" : "," }
            grouped.append(digit)
        }
        return value < 0 ? "−" + grouped : grouped
    }

    /// A share 0–1 as a percentage with one decimal: `12,5 %` or `12.5%`.
    func percent(_ share: Double) -> String {
        let tenths = Int((share * 1000).rounded())
        let text = "\(tenths / 10)\(language == .norwegian ? "," : ".")\(tenths % 10)"
        return language == .norwegian ? "\(text)\u{00A0}%" : "\(text)%"
    }

    /// A date in words: `1. februar 2026` or `1 February 2026`.
    func format(_ date: LocalDate) -> String {
        let norwegian = [
            "januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
            "november", "desember",
        ]
        let english = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        return language == .norwegian
            ? "\(date.day). \(norwegian[date.month - 1]) \(date.year)"
            : "\(date.day) \(english[date.month - 1]) \(date.year)"
    }

    /// A date short, for a chart's axis: `1.2.2026` or `1 Feb 2026`.
    func short(_ date: LocalDate) -> String {
        let english = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return language == .norwegian
            ? "\(date.day).\(date.month).\(date.year)" : "\(date.day) \(english[date.month - 1]) \(date.year)"
    }
}
