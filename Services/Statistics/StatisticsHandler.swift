import Foundation
import GRDB
import OTContract
import OTRuntime
import OTStore

/// The statistics service's business, in three stages that each work on the keys of their own partition, the way
/// Kafka Streams aggregates across a repartition topic (docs/statistics.md):
///
/// 1. Person stage (`ot.registrations.v1`, keyed by person): keeps each youth's registration history, works out
///    what the youth adds to every period's counts, and sends the changes, summed over the batch, keyed by
///    statistics key (`county:50:current`) to `ot-statistics.repartition.v1`.
/// 2. Key stage (deltas, keyed by statistics key): adds them up per key and sends each changed key's sums on,
///    keyed by period.
/// 3. Period stage (sums, keyed by period): holds every key of the period, suppresses small cells across the whole
///    table, and publishes the records that changed to `ot.statistics.v1`, once per batch.
struct StatisticsHandler: WorkerHandler {
    let calendar: ReportingCalendar
    /// Stage 3's records by what they were made from, shared by the partitions of this process.
    let records = RecordCache()

    init(calendar: ReportingCalendar = .standard) {
        self.calendar = calendar
    }

    var migrations: StoreMigrations { StatisticsSchema.migrations }

    func handle(_ event: InboundEvent, context: HandlerContext) throws {
        switch (event.topic, event.cloudEvent.type) {
        case (Topic.registrations.name, _):
            try handle(try RegistrationEvent(event.cloudEvent), context: context)
        case (Topic.statisticsRepartition.name, StatisticsDelta.eventType):
            try add(try event.cloudEvent.decodePayload(as: StatisticsDelta.self), context: context)
        case (Topic.statisticsRepartition.name, StatisticsAggregate.eventType):
            try receive(try event.cloudEvent.decodePayload(as: StatisticsAggregate.self), context: context)
        default:
            throw HandlerError.permanent(
                "the statistics service does not consume \(event.cloudEvent.type) on \(event.topic)")
        }
    }

    func tick(context: HandlerContext) throws {
        try advanceToday(context: context)
    }

    func finishBatch(context: HandlerContext) throws {
        try sendDeltas(context: context)
        try sendAggregates(context: context)
        try publishPeriods(context: context)
    }
}
