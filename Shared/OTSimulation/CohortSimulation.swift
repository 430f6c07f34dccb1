import Foundation
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
    /// Whether case workers also make follow-up plans (`ot.followup-plans.commands.v1`): a plan for most youths
    /// they reach, with a goal, a measure and a review. The rest of the stream is the same with or without.
    public var plans: Bool

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
    public init(youths: Int, seed: UInt64 = 2026, schoolYear: SchoolYear = .mostRecentlyEnded(), plans: Bool = false) {
        self.youths = youths
        self.seed = seed
        self.schoolYear = schoolYear
        self.plans = plans
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
        // Who the youths are, in order (each date's national IDs are handed out in turn); then each youth's year
        // from a generator of its own, so that the years can be played in parallel and the stream stays the same.
        var generator = SeededGenerator(seed: seed)
        var identities: [LocalDate: Int] = [:]
        var scripts: [YouthScript] = []
        scripts.reserveCapacity(youths)
        do throws(ContractError) {
            for index in 0..<youths {
                scripts.append(
                    try YouthScript(
                        index: index, schoolYear: schoolYear, plans: plans, identities: &identities,
                        generator: &generator))
            }
        } catch {
            throw .contract(error)
        }
        Self.play(&scripts)
        if let failure = scripts.lazy.compactMap(\.failure).first { throw .contract(failure) }

        var events: [SimulatedEvent] = []
        events.reserveCapacity(scripts.reduce(0) { $0 + $1.events.count })
        var order: [(time: Int64, youth: Int32, position: Int32)] = []
        order.reserveCapacity(events.capacity)
        for script in scripts {
            for entry in script.events {
                order.append((entry.time, Int32(script.youth.index), Int32(events.count)))
                events.append(entry.event)
            }
        }
        // Date order across youths; a youth's own events keep their order (their times strictly increase). The
        // small keys are sorted, not the events, which are copied once into place.
        order.sort { ($0.time, $0.youth) < ($1.time, $1.youth) }
        events = order.map { events[Int($0.position)] }
        let simulated = scripts.map(\.youth)
        return SimulatedStream(
            events: events, youths: simulated,
            summary: SimulationSummary(seed: seed, schoolYear: schoolYear, youths: simulated, events: events))
    }

    /// Plays every script's year, in chunks on all cores.
    private static func play(_ scripts: inout [YouthScript]) {
        let count = scripts.count
        let chunk = max(64, count / (ProcessInfo.processInfo.activeProcessorCount * 8))
        scripts.withUnsafeMutableBufferPointer { buffer in
            let scripts = UncheckedBuffer(buffer: buffer)
            // Each chunk writes only its own scripts.
            DispatchQueue.concurrentPerform(iterations: (count + chunk - 1) / chunk) { number in
                for index in (number * chunk)..<min(count, (number + 1) * chunk) { scripts.buffer[index].play() }
            }
        }
    }
}

/// A buffer whose elements concurrent workers write, each its own: the disjointness makes it safe.
private struct UncheckedBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
}
