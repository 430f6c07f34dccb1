/// Who asks for an individual's data: the scope of what they may see, and the "who" of the access log.
///
/// A requester sees only youths registered in, or living in, their own county.
public struct Requester: Codable, Sendable, Hashable {
    /// The case worker's user id.
    public var userId: String
    /// The county the case worker works for.
    public var countyNumber: County
    /// The OT unit the case worker works in, when they work in one.
    public var unitId: String?

    /// Creates a requester.
    public init(userId: String, countyNumber: County, unitId: String? = nil) {
        self.userId = userId
        self.countyNumber = countyNumber
        self.unitId = unitId
    }
}
