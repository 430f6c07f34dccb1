/// Who sends a command: every case-worker command carries its actor as CloudEvents extension attributes
/// (`actorid`, `actorcounty`, optional `actorunit`, `actorrole`), set by the front end that authenticated the user.
/// The services act on a command only within the actor's scope: youths registered in the actor's county, or in
/// their unit when the actor is unit-scoped (docs/topics.md, "Actors").
public struct CommandActor: Sendable, Hashable, CustomStringConvertible {
    /// The user's id in the front end's identity provider.
    public var userId: String
    /// The county the user works for.
    public var countyNumber: County
    /// The OT unit the user works for, when the user is unit-scoped.
    public var unitId: String?
    /// What the user may do.
    public var role: ActorRole

    /// The extension attribute names.
    public static let userIdAttribute = "actorid"
    /// The county's extension attribute.
    public static let countyAttribute = "actorcounty"
    /// The unit's extension attribute.
    public static let unitAttribute = "actorunit"
    /// The role's extension attribute.
    public static let roleAttribute = "actorrole"

    /// Creates an actor.
    public init(userId: String, countyNumber: County, unitId: String? = nil, role: ActorRole = .adviser) {
        self.userId = userId
        self.countyNumber = countyNumber
        self.unitId = unitId
        self.role = role
    }

    /// The actor a command names.
    /// - Throws: ``ContractError/missingAttribute(_:)`` when it names none (or only part of one),
    ///   ``ContractError/invalidAttribute(_:reason:)`` for a blank user or an unknown county or role.
    public init(of event: CloudEvent) throws(ContractError) {
        func text(_ name: String) throws(ContractError) -> String {
            guard let value = event.extensions[name]?.stringValue else { throw .missingAttribute(name) }
            guard !value.allSatisfy(\.isWhitespace) else { throw .invalidAttribute(name, reason: "is blank") }
            return value
        }
        userId = try text(Self.userIdAttribute)
        guard let county = County(rawValue: try text(Self.countyAttribute)) else {
            throw .invalidAttribute(Self.countyAttribute, reason: "not a county number")
        }
        countyNumber = county
        guard let role = ActorRole(rawValue: try text(Self.roleAttribute)) else {
            throw .invalidAttribute(Self.roleAttribute, reason: "not ADVISER or ADMINISTRATOR")
        }
        self.role = role
        unitId = event.extensions[Self.unitAttribute] == nil ? nil : try text(Self.unitAttribute)
    }

    /// The extension attributes that carry this actor on a command.
    public var extensions: [String: JSONValue] {
        var attributes: [String: JSONValue] = [
            Self.userIdAttribute: .string(userId), Self.countyAttribute: .string(countyNumber.rawValue),
            Self.roleAttribute: .string(role.rawValue),
        ]
        if let unitId { attributes[Self.unitAttribute] = .string(unitId) }
        return attributes
    }

    /// Why the actor may not act on a youth registered in `unit` of `county`, in words for the case worker; `nil`
    /// when they may (their county, and their unit when they are unit-scoped).
    public func refusal(unit: String, county: County) -> String? {
        if county != countyNumber {
            return "the youth is in county \(county.rawValue): outside your county (\(countyNumber.rawValue))"
        }
        if let unitId, unitId != unit { return "the youth is in unit \(unit): outside your unit (\(unitId))" }
        return nil
    }

    /// `user (county 50, unit 5001, ADVISER)`.
    public var description: String {
        "\(userId) (county \(countyNumber.rawValue)\(unitId.map { ", unit \($0)" } ?? ""), \(role.rawValue))"
    }
}
