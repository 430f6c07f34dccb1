import OTContract

/// A school-history reply as a readable time line, one line per fact in date order, codes with their meanings;
/// the person's national ID masked, and no other person's ever (the reply holds none).
enum HistoryTimeline {
    /// The lines of `reply` about `person`.
    static func render(_ reply: SchoolHistoryReply, person: NationalID) -> [String] {
        let masked = NationalID.maskingAll(in: person.digits)
        guard reply.status == .ok, let history = reply.history else {
            return ["\(reply.status.rawValue) for \(masked): \(reply.reason ?? "no reason given")"]
        }
        let meanings = reply.meanings ?? [:]
        func programme(_ code: String) -> String {
            meanings["programmeArea:\(code)"].map { "\(code) \($0)" } ?? code
        }
        var facts: [(date: String, text: String)] = []
        for application in history.applications {
            let choices = application.choices.enumerated().map {
                "\($0.offset + 1). \(programme($0.element.programmeAreaCode)) at \($0.element.schoolOrgNumber.digits)"
            }
            facts.append(
                (
                    LocalDate(application.submittedAt.date).description,
                    "applied for \(application.schoolYear): \(choices.joined(separator: "; "))"
                ))
        }
        for offer in history.offers {
            facts.append(
                (
                    offer.schoolYear.firstDay.description,
                    "offered \(programme(offer.programmeAreaCode)) at \(offer.schoolOrgNumber.digits) for "
                        + "\(offer.schoolYear): \(offer.answer.rawValue)"
                ))
        }
        for enrollment in history.enrollments {
            facts.append(
                (
                    enrollment.startDate.description,
                    "started as \(enrollment.kind.rawValue) in \(programme(enrollment.programmeAreaCode)) at "
                        + "\(enrollment.schoolOrgNumber.digits)"
                ))
        }
        for dropout in history.dropouts {
            let reason = meanings["dropoutReason:\(dropout.reasonCode.rawValue)"].map { " (\($0))" } ?? ""
            facts.append((dropout.date.description, "dropped out: \(dropout.reasonCode.rawValue)\(reason)"))
        }
        for completion in history.completions {
            let meaning = meanings["qualification:\(completion.qualification.rawValue)"].map { " (\($0))" } ?? ""
            facts.append((completion.date.description, "completed: \(completion.qualification.rawValue)\(meaning)"))
        }
        var lines = ["school history of \(masked)"]
        if facts.isEmpty { lines.append("  no applications, offers, enrollments, dropouts or completions") }
        for fact in facts.enumerated().sorted(by: { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }) {
            lines.append("  \(fact.element.date)  \(fact.element.text)")
        }
        if let registration = reply.registration {
            let status = meanings["statusCode:\(registration.statusCode.rawValue)"].map { " (\($0))" } ?? ""
            lines.append(
                "in OT since \(registration.registeredAt): unit \(registration.unitId), county "
                    + "\(registration.countyNumber.rawValue), reason \(registration.reason.rawValue), status "
                    + "\(registration.statusCode.rawValue)\(status)")
        } else {
            lines.append("not registered in OT")
        }
        return lines
    }
}
