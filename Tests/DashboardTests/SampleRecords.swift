import Foundation
import Kafka
import OTContract

@testable import Dashboard

/// Statistics records written by hand for the tests: every count chosen, the suppressed cells `null` and listed.
enum SampleRecords {
    static let today = date("2026-12-01")

    /// A date written out in a test (a typo stops the test run at once).
    static func date(_ text: String) -> LocalDate {
        do { return try LocalDate(text) } catch { fatalError("\(text): \(error)") }
    }

    /// A record of `scope`/`id` for `period`, with `open` open registrations and the other cells as given; `hidden`
    /// lists the suppressed paths (their values are `null`).
    static func record(
        _ scope: StatisticsScope, _ id: String, period: StatisticsPeriod = .current, county: County? = .trondelag,
        open: Int?, groups: [String: Int?] = ["1": 40, "2": nil, "3": 60, "4": 23, "5": nil],
        reasons: [String: Int?] = ["IKKE_SOKT": 50, "TAKKET_NEI": 33, "SLUTTET": 40, "ANNET": 0],
        hidden: [String] = ["byStatusGroup.2", "byStatusGroup.5"]
    ) -> StatisticsUpdated {
        let asOf: LocalDate =
            switch period {
            case .current: today
            case .reportingDate(let date): date
            }
        return StatisticsUpdated(
            key: StatisticsKey(scope: scope, id: id, period: period), countyNumber: scope == .national ? nil : county,
            asOf: asOf, openRegistrations: open, byStatusGroup: groups, byStatusCode: [:], byReason: reasons,
            byAgeBand: ["15-16": 10, "17": 20, "18": 30, "19": 25, "20": 20, "21-24": 18],
            byGender: ["K": 60, "M": 63, "UKJENT": 0], unknownShare: 0.325,
            schoolYearFlow: .init(registered: 200, reachedActivity: 90, registeredPreviousYear: nil),
            suppressed: hidden + ["schoolYearFlow.registeredPreviousYear"])
    }

    /// The message `ot-statistics` would publish for `record`.
    static func message(_ record: StatisticsUpdated) throws -> KafkaProducerMessage {
        let event = try CloudEvent(record, source: ServiceName.statistics.eventSource)
        return KafkaProducerMessage(
            topic: Topic.statistics.name, key: Array(record.key.description.utf8), value: event.structuredJSON())
    }

    /// A tombstone for `key`.
    static func tombstone(_ key: StatisticsKey) -> KafkaProducerMessage {
        KafkaProducerMessage(topic: Topic.statistics.name, key: Array(key.description.utf8), value: nil)
    }
}
