import OTContract

/// Decides when the services of the development system have caught up: every input message processed and every
/// outbox delivered, and nothing moving any more.
///
/// Each ``Reading`` holds every topic's message count (high minus low watermark) and each service's
/// ``ServiceProgress``. A service is *drained* when it has consumed at least as many messages as its input topics
/// hold and its outbox backlog is zero. The system has *caught up* when every service is drained in
/// ``requiredStableReadings`` readings in a row that are identical (the same message counts, the same consumed and
/// published counters).
///
/// Why both: the counters are exact (each input message is counted once, when its batch commits), but the backlog
/// gauge is only set when the relay drains a partition, so a reading taken between a batch's commit and its relay
/// round can show a stale zero; and one service's last outbox round is the next service's new input. Identical
/// readings spaced apart show that no batch, relay round or downstream service is still at work. Consumer lag is not
/// used: librdkafka reports it only every 5 seconds, from offsets the runtime mirrors to Kafka in the background.
/// The counters count since the service started, which is exact for `otctl dev`'s fresh broker and services.
struct CatchUp {
    /// The input topics of the services otctl knows; a service's `ot_consumer_lag_messages` labels add the rest
    /// (a service not listed here is drained by those alone, once its statistics name them).
    static let knownInputs: [String: Set<String>] = [
        ServiceName.registrations.rawValue: [Topic.enrollment.name, Topic.registrationCommands.name],
        ServiceName.followUpPlans.rawValue: [Topic.registrations.name, Topic.followUpPlanCommands.name],
        ServiceName.schoolHistory.rawValue: [
            Topic.enrollment.name, Topic.registrations.name, Topic.schoolHistoryRequests.name,
        ],
        ServiceName.statistics.rawValue: [Topic.registrations.name],
    ]

    /// One look at the system.
    struct Reading: Equatable, Sendable {
        /// Messages per topic.
        var messageCounts: [String: Int64]
        /// Progress per service.
        var services: [ServiceProgress]
    }

    /// How many identical, drained readings in a row count as caught up.
    var requiredStableReadings = 3
    private var previous: Reading?
    private var stableReadings = 0

    /// The input topics of a service: the known ones and those it reports lag for.
    static func inputs(of service: ServiceProgress) -> Set<String> {
        knownInputs[service.service, default: []].union(service.lagTopics)
    }

    /// How many messages a service's inputs hold.
    static func expected(of service: ServiceProgress, in reading: Reading) -> Int64 {
        inputs(of: service).reduce(0) { $0 + (reading.messageCounts[$1] ?? 0) }
    }

    /// Whether a service has consumed everything its inputs hold and delivered its outbox.
    static func isDrained(_ service: ServiceProgress, in reading: Reading) -> Bool {
        service.consumed >= expected(of: service, in: reading) && service.backlog == 0
    }

    /// What is not done yet, one phrase per service that is not drained: for a progress line.
    static func pending(in reading: Reading) -> [String] {
        reading.services.filter { !isDrained($0, in: reading) }.map { service in
            var text =
                "\(service.service) \(Int(service.consumed).grouped)/\(Int(expected(of: service, in: reading)).grouped)"
            if service.backlog > 0 { text += ", outbox \(Int(service.backlog).grouped)" }
            return text
        }
    }

    /// Takes a reading; returns whether the system has now caught up.
    mutating func observe(_ reading: Reading) -> Bool {
        let drained = reading.services.allSatisfy { Self.isDrained($0, in: reading) }
        if drained, reading == previous {
            stableReadings += 1
        } else {
            stableReadings = drained ? 1 : 0
        }
        previous = reading
        return stableReadings >= requiredStableReadings
    }
}
