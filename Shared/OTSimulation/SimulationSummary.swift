import OTContract

/// The counts of a simulated stream: what was generated, and what the services should make of it.
public struct SimulationSummary: Sendable, CustomStringConvertible {
    /// The seed.
    public var seed: UInt64
    /// The school year simulated.
    public var schoolYear: SchoolYear
    /// How many youths.
    public var youths: Int
    /// How many events and commands.
    public var events: Int
    /// Events by CloudEvents type.
    public var eventsByType: [String: Int]
    /// Events by topic.
    public var eventsByTopic: [String: Int]
    /// Youths by trigger.
    public var triggers: [SimulatedTrigger: Int]
    /// Youths by county.
    public var youthsByCounty: [County: Int]
    /// Youths without a gender.
    public var youthsWithoutGender: Int
    /// Youths whose trigger registers them in OT.
    public var registered: Int
    /// Registered youths whose registration a case worker closes as `Feil` (registered in error): they never count
    /// in the statistics.
    public var registeredInError: Int
    /// Registered youths a case worker puts in a group 3 status (in activity) during the year.
    public var reachingActivity: Int
    /// Registered youths who leave OT again during the year.
    public var leaving: Int

    /// Counts the youths and events of a stream.
    public init(seed: UInt64, schoolYear: SchoolYear, youths: [SimulatedYouth], events: [SimulatedEvent]) {
        self.seed = seed
        self.schoolYear = schoolYear
        self.youths = youths.count
        self.events = events.count
        var byType: [String: Int] = [:]
        var byTopic: [String: Int] = [:]
        for event in events {
            byType[event.event.type, default: 0] += 1
            byTopic[event.topic.name, default: 0] += 1
        }
        eventsByType = byType
        eventsByTopic = byTopic
        var triggers: [SimulatedTrigger: Int] = [:]
        var counties: [County: Int] = [:]
        for youth in youths {
            triggers[youth.trigger, default: 0] += 1
            counties[youth.county, default: 0] += 1
        }
        self.triggers = triggers
        youthsByCounty = counties
        youthsWithoutGender = youths.count(where: { $0.gender == nil })
        registered = youths.count(where: { $0.registrationDate != nil })
        registeredInError = youths.count(where: \.registeredInError)
        reachingActivity = youths.count(where: \.reachesActivity)
        leaving = youths.count(where: \.leaves)
    }

    /// The share of youths with `trigger`, 0 to 1.
    public func share(of trigger: SimulatedTrigger) -> Double {
        youths == 0 ? 0 : Double(triggers[trigger] ?? 0) / Double(youths)
    }

    /// A few lines for a terminal: the trigger mix, what to expect in OT, youths by county, events by type.
    public var description: String {
        var lines = [
            "simulated school year \(schoolYear) (seed \(seed)): \(youths.grouped) youths, \(events.grouped) events"
        ]
        lines.append(
            "  triggers: "
                + SimulatedTrigger.allCases.map {
                    "\($0) \((triggers[$0] ?? 0).grouped) (\(percent(triggers[$0] ?? 0, of: youths)))"
                }.joined(separator: ", "))
        lines.append(
            "  registered in OT: \(registered.grouped) youths; in activity (group 3) during the year: "
                + "\(reachingActivity.grouped) (\(percent(reachingActivity, of: registered)) of registered); "
                + "leaving OT during the year: \(leaving.grouped) (registered in error, never counted: "
                + "\(registeredInError.grouped)); without gender: \(youthsWithoutGender.grouped)")
        if let plans = eventsByType[CreatePlan.eventType] {
            lines.append(
                "  follow-up plans: \(plans.grouped) made (\(percent(plans, of: registered)) of registered), "
                    + "\((eventsByType[RecordReview.eventType] ?? 0).grouped) reviews recorded")
        }
        lines.append(
            "  youths by county: "
                + County.allCases.map { "\($0.rawValue) \($0.name) \((youthsByCounty[$0] ?? 0).grouped)" }
                .joined(separator: ", "))
        lines.append(
            "  events by type: "
                + eventsByType.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.grouped)" }
                .joined(separator: ", "))
        return lines.joined(separator: "\n")
    }

    private func percent(_ count: Int, of total: Int) -> String {
        guard total > 0 else { return "0 %" }
        let tenths = (count * 1000 + total / 2) / total
        return "\(tenths / 10).\(tenths % 10) %"
    }
}

extension Int {
    /// The number with thousands separated by commas: `12,345`.
    public var grouped: String {
        let digits = String(magnitude)
        var result = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return self < 0 ? "-" + result : result
    }
}
