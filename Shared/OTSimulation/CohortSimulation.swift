import OTContract

/// A seeded, deterministic simulation of one school year of OT for a cohort of synthetic youths: the upstream
/// events on `vigo.enrollment.v1` and the case workers' commands on `ot.registrations.commands.v1`, in date order.
///
/// For each youth: a `no.vigo.person.updated` (a synthetic national ID, a birth date giving an age of 15–24 in the
/// school year, a county weighted by population, gender `K` or `M` or, for a few, none), then a trigger with a mix
/// near Udir's (``SimulatedTrigger``), and for the youths that are registered, the case workers' year: contact
/// attempts (some reached, some letters without an answer), status changes to groups 2, 3 and 4 (about 2 in 5 come
/// into activity), activities, a few transfers to the county's second unit, some closures with group 5 codes and a
/// few re-enrollments that take youths out. Commands come after their youth's trigger and carry a correlation id.
///
/// The same seed gives the same stream byte for byte (event ids, times and payloads included): publishing it twice
/// changes nothing, since services de-duplicate by event id. Use another seed for other youths.
///
/// ```swift
/// let stream = try CohortSimulation(youths: 5_000, seed: 7).generate()
/// try await producer.sendAll(stream.messages)
/// print(stream.summary)
/// ```
public struct CohortSimulation: Sendable {
    /// How many youths.
    public var youths: Int
    /// The seed of every random choice.
    public var seed: UInt64
    /// The school year simulated: every event is dated within it.
    public var schoolYear: SchoolYear

    /// The CloudEvents `source` of the simulated upstream events.
    public static let upstreamSource = "urn:vigo:simulation"
    /// The CloudEvents `source` of the simulated case workers' commands.
    public static let caseWorkerSource = "urn:ot:case-worker-simulation"

    /// Creates a simulation.
    /// - Parameters:
    ///   - youths: How many youths, from 0.
    ///   - seed: The seed; the same seed gives the same stream.
    ///   - schoolYear: The school year to simulate; by default the most recently ended one, so that its reporting
    ///     dates are in the past.
    public init(youths: Int, seed: UInt64 = 2026, schoolYear: SchoolYear = .mostRecentlyEnded()) {
        self.youths = youths
        self.seed = seed
        self.schoolYear = schoolYear
    }

    /// The most youths one simulation holds: a birth date has a few hundred synthetic national IDs.
    public static let maximumYouths = 300_000

    /// The first school year the simulation supports: the OT code list starts on 1 August 2015.
    public static let firstSchoolYear = SchoolYear(startYear: 2015)

    /// Generates the stream.
    /// - Throws: ``SimulationError/invalidParameter(_:)`` for a count outside 0 to ``maximumYouths`` or a school
    ///   year outside 2015-2016 to 2050-2051.
    public func generate() throws(SimulationError) -> SimulatedStream {
        guard (0...Self.maximumYouths).contains(youths) else {
            throw .invalidParameter("the number of youths must be 0 to \(Self.maximumYouths), not \(youths)")
        }
        guard schoolYear >= Self.firstSchoolYear, schoolYear.startYear <= 2050 else {
            throw .invalidParameter(
                "school year \(schoolYear) is outside 2015-2016 to 2050-2051 (the OT code list starts in 2015)")
        }
        var generator = SeededGenerator(seed: seed)
        var identities: [LocalDate: Int] = [:]
        var scheduled: [(time: Int64, youth: Int, sequence: Int, event: SimulatedEvent)] = []
        scheduled.reserveCapacity(youths * 4)
        var simulated: [SimulatedYouth] = []
        simulated.reserveCapacity(youths)
        do throws(ContractError) {
            for index in 0..<youths {
                var script = try YouthScript(
                    index: index, schoolYear: schoolYear, identities: &identities, generator: &generator)
                try script.play(generator: &generator)
                for (sequence, entry) in script.events.enumerated() {
                    scheduled.append((entry.time, index, sequence, entry.event))
                }
                simulated.append(script.youth)
            }
        } catch {
            throw .contract(error)
        }
        // Date order across youths; a youth's own events keep their order (their times strictly increase).
        scheduled.sort { ($0.time, $0.youth, $0.sequence) < ($1.time, $1.youth, $1.sequence) }
        let events = scheduled.map(\.event)
        return SimulatedStream(
            events: events, youths: simulated,
            summary: SimulationSummary(seed: seed, schoolYear: schoolYear, youths: simulated, events: events))
    }
}
