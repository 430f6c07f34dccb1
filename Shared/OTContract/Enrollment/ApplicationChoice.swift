/// One choice of an application: a programme area at a school, in order of priority.
public struct ApplicationChoice: Codable, Sendable, Hashable {
    /// The programme area (programområde) code, such as `ELELE1----`.
    public var programmeAreaCode: String
    /// The school applied to.
    public var schoolOrgNumber: OrganizationNumber

    /// Creates a choice.
    public init(programmeAreaCode: String, schoolOrgNumber: OrganizationNumber) {
        self.programmeAreaCode = programmeAreaCode
        self.schoolOrgNumber = schoolOrgNumber
    }
}
