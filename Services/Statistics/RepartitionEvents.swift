import OTContract

/// Stage 1 to stage 2, on `ot-statistics.repartition.v1` keyed by the statistics key: how a batch of person events
/// changed the counts of one unit, county or the nation in one period. Internal to the service.
struct StatisticsDelta: EventPayload {
    static let eventType = "no.ot.statistics.delta"
    static var topic: Topic { .statisticsRepartition }

    var key: StatisticsKey
    /// The county of a unit or county.
    var countyNumber: County?
    /// Cell name to change, never zero.
    var cells: [String: Int]

    /// The Kafka key: the statistics key, so that each key's sums live in one partition.
    var partitionKey: String { key.description }
}

/// Stage 2 to stage 3, on `ot-statistics.repartition.v1` keyed by `period:<period>`: the latest sums of one key,
/// so that every key of a period meets in one partition, where suppression can see the whole table.
struct StatisticsAggregate: EventPayload {
    static let eventType = "no.ot.statistics.aggregate"
    static var topic: Topic { .statisticsRepartition }

    var key: StatisticsKey
    var countyNumber: County?
    /// Increases with every aggregate of the key: stage 3 ignores an older one.
    var version: Int
    /// Cell name to count, zero counts left out.
    var cells: [String: Int]

    /// The Kafka key: the period.
    var partitionKey: String { Self.partitionKey(key.period) }
    static func partitionKey(_ period: StatisticsPeriod) -> String { "period:\(period)" }
}
