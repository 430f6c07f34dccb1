import OTContract

/// What can be read from a request that does not decode: enough to answer it `INVALID` and to audit it.
struct PartialRequest {
    var requestId: String?
    var requester: Requester?
    var personId: NationalID?
    var purpose: String?

    init(_ cloudEvent: CloudEvent) {
        guard let data = cloudEvent.data, let json = try? JSONValue(parsing: data) else { return }
        // Blank as the contract's checks see it: only whitespace and newlines.
        requestId = json["requestId"]?.stringValue.flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
        personId = json["personId"]?.stringValue.flatMap { try? NationalID($0) }
        purpose = json["purpose"]?.stringValue
        if let requester = json["requester"], let user = requester["userId"]?.stringValue,
            let county = requester["countyNumber"]?.stringValue.flatMap(County.init(rawValue:))
        {
            self.requester = Requester(userId: user, countyNumber: county, unitId: requester["unitId"]?.stringValue)
        }
    }
}
