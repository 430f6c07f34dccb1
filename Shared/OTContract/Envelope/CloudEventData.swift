/// A ``CloudEvent``'s `data` as it came, and the members of its object as reading the envelope found them
/// (``JSONReader/parseObjectMembers(from:)``), so that decoding the payload does not read them a second time.
/// Equal by the bytes alone: the members are what the bytes hold, or not known.
struct CloudEventData: Sendable, Equatable {
    let bytes: [UInt8]?
    /// The members of the object `bytes` hold, as ``JSONReader/parseMembersDocument()`` finds them; `nil` when not
    /// known (the event was made or changed in code, or `data` is no object).
    let members: JSONReader.ObjectMembers?

    init(_ bytes: [UInt8]?, members: JSONReader.ObjectMembers? = nil) {
        self.bytes = bytes
        self.members = bytes == nil ? nil : members
    }

    static func == (left: Self, right: Self) -> Bool { left.bytes == right.bytes }
}
