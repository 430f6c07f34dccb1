import OTContract
import Testing

@testable import OTCtl

@Suite("otctl dev: reading the services' metrics and deciding when they have caught up", .timeLimit(.minutes(2)))
struct CatchUpTests {
    /// Metrics as swift-prometheus writes them for ot-registrations.
    static func metrics(processed: Int, duplicates: Int = 0, deadLettered: Int = 0, published: Int, backlog: [Int])
        -> String
    {
        var lines = [
            "# HELP ot_events_processed_total Events handled and committed.",
            "# TYPE ot_events_processed_total counter",
            #"ot_events_processed_total{service="ot-registrations"} \#(processed)"#,
            #"ot_events_duplicate_total{service="ot-registrations"} \#(duplicates)"#,
            #"ot_events_dead_lettered_total{service="ot-registrations"} \#(deadLettered)"#,
            #"ot_commands_rejected_total{service="ot-registrations"} 2"#,
            #"ot_outbox_published_total{service="ot-registrations"} \#(published)"#,
            #"ot_batch_duration_seconds_bucket{service="ot-registrations",le="0.005"} 3"#,
            #"ot_consumer_lag_messages{service="ot-registrations",topic="vigo.enrollment.v1",partition="0"} 0.0"#,
            #"ot_consumer_lag_messages{service="ot-registrations",topic="ot.registrations.commands.v1",partition="3"} 7"#,
        ]
        for (partition, rows) in backlog.enumerated() {
            lines.append(#"ot_outbox_backlog_rows{service="ot-registrations",partition="\#(partition)"} \#(rows)"#)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("Prometheus text is read into samples with their labels")
    func parse() {
        let samples = PrometheusText.parse(Self.metrics(processed: 10, published: 12, backlog: [0, 3]))
        #expect(samples.count == 10)
        let lag = samples.first { $0.name == "ot_consumer_lag_messages" && $0.labels["partition"] == "3" }
        #expect(
            lag?.labels == ["service": "ot-registrations", "topic": "ot.registrations.commands.v1", "partition": "3"])
        #expect(lag?.value == 7)
        #expect(PrometheusText.parse(#"plain 4.5"#) == [MetricSample(name: "plain", labels: [:], value: 4.5)])
        #expect(PrometheusText.parse("# only a comment\n\nbroken{") == [])
    }

    @Test("a service's progress: consumed counts processed, duplicates and dead letters; backlog over partitions")
    func progress() {
        let progress = ServiceProgress(
            samples: PrometheusText.parse(
                Self.metrics(processed: 10, duplicates: 2, deadLettered: 1, published: 12, backlog: [0, 3, 4])))
        #expect(progress.service == "ot-registrations")
        #expect(progress.consumed == 13 && progress.deadLettered == 1 && progress.rejected == 2)
        #expect(progress.published == 12 && progress.backlog == 7)
        #expect(progress.lagTopics == ["vigo.enrollment.v1", "ot.registrations.commands.v1"])
    }

    static func reading(consumed: Int, backlog: Int = 0, inputs: Int64 = 100, outputs: Int64 = 150) -> CatchUp.Reading {
        CatchUp.Reading(
            messageCounts: [
                Topic.enrollment.name: inputs - 40, Topic.registrationCommands.name: 40,
                Topic.registrations.name: outputs,
            ],
            services: [
                ServiceProgress(
                    samples: PrometheusText.parse(
                        Self.metrics(processed: consumed, published: Int(outputs), backlog: [backlog])))
            ])
    }

    @Test("caught up only after three identical readings with every input consumed and every outbox empty")
    func caughtUp() {
        var catchUp = CatchUp()
        let readings = [
            Self.reading(consumed: 60), Self.reading(consumed: 100, backlog: 5), Self.reading(consumed: 100),
            Self.reading(consumed: 100),
            // Something moved (another output published): the count starts again.
            Self.reading(consumed: 100, outputs: 160), Self.reading(consumed: 100, outputs: 160),
            Self.reading(consumed: 100, outputs: 160),
        ]
        let decisions = readings.map { catchUp.observe($0) }
        #expect(decisions == [false, false, false, false, false, false, true])
        #expect(CatchUp.pending(in: readings[0]) == ["ot-registrations 60/100"])
        #expect(CatchUp.pending(in: readings[1]) == ["ot-registrations 100/100, outbox 5"])
        #expect(CatchUp.pending(in: readings[2]).isEmpty)
    }

    @Test("a service's inputs are the known ones and those it reports lag for")
    func inputs() {
        var statistics = ServiceProgress(samples: [])
        statistics.service = "ot-statistics"
        #expect(CatchUp.inputs(of: statistics) == ["ot.registrations.v1"])
        statistics.lagTopics = ["ot-statistics.repartition.v1"]
        #expect(CatchUp.inputs(of: statistics) == ["ot.registrations.v1", "ot-statistics.repartition.v1"])
        var unknown = ServiceProgress(samples: [])
        unknown.lagTopics = ["x.v1"]
        #expect(CatchUp.inputs(of: unknown) == ["x.v1"])
    }
}
