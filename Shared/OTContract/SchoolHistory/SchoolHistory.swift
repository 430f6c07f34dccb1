/// A person's school history as VIGO knows it: applications, offers and answers, enrollments, dropouts with their
/// reasons, and completions, each list oldest first. The body of an `OK` ``SchoolHistoryReply``.
public struct SchoolHistory: Codable, Sendable, Hashable {
    /// An application and its choices.
    public struct Application: Codable, Sendable, Hashable {
        /// The school year applied for.
        public var schoolYear: SchoolYear
        /// When it was submitted.
        public var submittedAt: Timestamp
        /// The choices in order of priority.
        public var choices: [ApplicationChoice]

        /// Creates an application record.
        public init(schoolYear: SchoolYear, submittedAt: Timestamp, choices: [ApplicationChoice]) {
            self.schoolYear = schoolYear
            self.submittedAt = submittedAt
            self.choices = choices
        }

        /// The record of an ``ApplicationSubmitted`` event.
        public init(_ event: ApplicationSubmitted) {
            self.init(schoolYear: event.schoolYear, submittedAt: event.submittedAt, choices: event.choices)
        }
    }

    /// An offered place and the answer to it.
    public struct Offer: Codable, Sendable, Hashable {
        /// The school year of the place.
        public var schoolYear: SchoolYear
        /// The programme area (programområde) code.
        public var programmeAreaCode: String
        /// The school or training establishment.
        public var schoolOrgNumber: OrganizationNumber
        /// The answer.
        public var answer: OfferAnswer

        /// Creates an offer record.
        public init(
            schoolYear: SchoolYear, programmeAreaCode: String, schoolOrgNumber: OrganizationNumber, answer: OfferAnswer
        ) {
            self.schoolYear = schoolYear
            self.programmeAreaCode = programmeAreaCode
            self.schoolOrgNumber = schoolOrgNumber
            self.answer = answer
        }

        /// The record of an ``OfferAnswered`` event.
        public init(_ event: OfferAnswered) {
            self.init(
                schoolYear: event.schoolYear, programmeAreaCode: event.programmeAreaCode,
                schoolOrgNumber: event.schoolOrgNumber, answer: event.answer)
        }
    }

    /// A start at a school or in an apprenticeship.
    public struct Enrollment: Codable, Sendable, Hashable {
        /// The school year.
        public var schoolYear: SchoolYear
        /// The school or training establishment.
        public var schoolOrgNumber: OrganizationNumber
        /// The programme area (programområde) code.
        public var programmeAreaCode: String
        /// The first day.
        public var startDate: LocalDate
        /// Pupil, apprentice or training candidate.
        public var kind: EnrollmentKind

        /// Creates an enrollment record.
        public init(
            schoolYear: SchoolYear, schoolOrgNumber: OrganizationNumber, programmeAreaCode: String,
            startDate: LocalDate, kind: EnrollmentKind
        ) {
            self.schoolYear = schoolYear
            self.schoolOrgNumber = schoolOrgNumber
            self.programmeAreaCode = programmeAreaCode
            self.startDate = startDate
            self.kind = kind
        }

        /// The record of an ``EnrollmentStarted`` event.
        public init(_ event: EnrollmentStarted) {
            self.init(
                schoolYear: event.schoolYear, schoolOrgNumber: event.schoolOrgNumber,
                programmeAreaCode: event.programmeAreaCode, startDate: event.startDate, kind: event.kind)
        }
    }

    /// A dropout and its reason.
    public struct Dropout: Codable, Sendable, Hashable {
        /// The school year.
        public var schoolYear: SchoolYear
        /// The date the youth left.
        public var date: LocalDate
        /// Why, as a B06 code.
        public var reasonCode: DropoutReason

        /// Creates a dropout record.
        public init(schoolYear: SchoolYear, date: LocalDate, reasonCode: DropoutReason) {
            self.schoolYear = schoolYear
            self.date = date
            self.reasonCode = reasonCode
        }

        /// The record of an ``EnrollmentDroppedOut`` event.
        public init(_ event: EnrollmentDroppedOut) {
            self.init(schoolYear: event.schoolYear, date: event.date, reasonCode: event.reasonCode)
        }
    }

    /// A completed education.
    public struct Completion: Codable, Sendable, Hashable {
        /// The date of completion.
        public var date: LocalDate
        /// What it gave.
        public var qualification: Qualification

        /// Creates a completion record.
        public init(date: LocalDate, qualification: Qualification) {
            self.date = date
            self.qualification = qualification
        }

        /// The record of an ``EducationCompleted`` event.
        public init(_ event: EducationCompleted) {
            self.init(date: event.date, qualification: event.qualification)
        }
    }

    /// Applications, oldest first.
    public var applications: [Application]
    /// Offered places and their answers, oldest first.
    public var offers: [Offer]
    /// Starts at school or in an apprenticeship, oldest first.
    public var enrollments: [Enrollment]
    /// Dropouts with their reasons, oldest first.
    public var dropouts: [Dropout]
    /// Completed educations, oldest first.
    public var completions: [Completion]

    /// Creates a school history; every list is empty by default.
    public init(
        applications: [Application] = [], offers: [Offer] = [], enrollments: [Enrollment] = [],
        dropouts: [Dropout] = [], completions: [Completion] = []
    ) {
        self.applications = applications
        self.offers = offers
        self.enrollments = enrollments
        self.dropouts = dropouts
        self.completions = completions
    }

    /// Whether there is nothing in the history.
    public var isEmpty: Bool {
        applications.isEmpty && offers.isEmpty && enrollments.isEmpty && dropouts.isEmpty && completions.isEmpty
    }
}
