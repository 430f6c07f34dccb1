import OTContract

/// The figures of a record as the pages group them.
extension StatisticsUpdated {
    /// `openRegistrations`.
    var openFigure: Figure { Figure(self, path: "openRegistrations", value: .some(openRegistrations)) }

    /// The five status groups, `1` to `5`.
    func statusGroupBars(_ text: DashboardText) -> [ChartBar] {
        OTStatusGroup.allCases.map { group in
            let key = String(group.rawValue)
            return ChartBar(
                label: "\(group.rawValue) \(text.statusGroup(group))",
                figure: Figure(self, path: "byStatusGroup.\(key)", value: byStatusGroup[key]),
                colour: "c\(group.rawValue)")
        }
    }

    /// The school year's flow.
    func flowBars(_ text: DashboardText) -> [ChartBar] {
        [
            ChartBar(
                label: text.flowRegistered,
                figure: Figure(self, path: "schoolYearFlow.registered", value: .some(schoolYearFlow.registered))),
            ChartBar(
                label: text.flowReachedActivity,
                figure: Figure(
                    self, path: "schoolYearFlow.reachedActivity", value: .some(schoolYearFlow.reachedActivity))),
            ChartBar(
                label: text.flowPreviousYear,
                figure: Figure(
                    self, path: "schoolYearFlow.registeredPreviousYear",
                    value: .some(schoolYearFlow.registeredPreviousYear))),
        ]
    }

    /// The registration reasons.
    func reasonBars(_ text: DashboardText) -> [ChartBar] {
        RegistrationReason.allCases.map { reason in
            ChartBar(
                label: text.reason(reason),
                figure: Figure(self, path: "byReason.\(reason.rawValue)", value: byReason[reason.rawValue]))
        }
    }

    /// The age bands.
    func ageBandBars(_ text: DashboardText) -> [ChartBar] {
        AgeBand.allCases.map { band in
            ChartBar(
                label: text.ageBand(band),
                figure: Figure(self, path: "byAgeBand.\(band.rawValue)", value: byAgeBand[band.rawValue]))
        }
    }

    /// Women, men and unknown.
    func genderBars(_ text: DashboardText) -> [ChartBar] {
        [Gender.kvinne.rawValue, Gender.mann.rawValue, StatisticsUpdated.unknownGender].map { key in
            ChartBar(label: text.gender(key), figure: Figure(self, path: "byGender.\(key)", value: byGender[key]))
        }
    }
}
