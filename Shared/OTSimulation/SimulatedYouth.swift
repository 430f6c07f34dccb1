import OTContract

/// One synthetic youth of a simulation and what the simulation made happen to them: for tests, summaries and
/// benchmarks that need to know what to expect.
public struct SimulatedYouth: Sendable, Hashable {
    /// The youth's position in the simulation, from 0.
    public var index: Int
    /// A synthetic national ID (month + 80), with valid check digits.
    ///
    /// - Important: Print it only masked (interpolation masks it).
    public var personId: NationalID
    /// The county the youth lives in.
    public var county: County
    /// The youth's gender; `nil` for the few the population register has none for.
    public var gender: Gender?
    /// The trigger that brought the youth to OT's attention (or did not).
    public var trigger: SimulatedTrigger
    /// The date of the trigger event.
    public var triggerDate: LocalDate
    /// The date the registrations service registers the youth, for a trigger that registers.
    public var registrationDate: LocalDate?
    /// Whether a case worker sets a group 3 status (in activity) for the youth during the school year.
    public var reachesActivity: Bool
    /// Whether the youth leaves OT again during the year (re-enrolled, or the registration closed by a case worker).
    public var leaves: Bool
    /// Whether a case worker closes the registration as `Feil` (registered in error): statistics never count it.
    public var registeredInError = false
}
