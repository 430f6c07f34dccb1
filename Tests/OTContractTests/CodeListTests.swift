import Foundation
import OTContract
import Testing

@Suite("Code lists", .timeLimit(.minutes(2)))
struct CodeListTests {
    @Test("OT status codes have their groups")
    func groups() {
        #expect(OTStatusCode.otuk.group == .ukjentAktivitet)
        #expect(OTStatusCode.otov.group == .underOppfolging)
        #expect(OTStatusGroup.iAktivitet.codes == [.otoa, .otap, .otko, .otar, .otev, .otvf, .otll])
        #expect(OTStatusGroup.avklart.codes == [.otno, .otmi, .otba, .otsy, .otif])
        #expect(
            OTStatusGroup.ikkeIMalgruppen.codes.map(\.rawValue) == [
                "ELGS_IM", "ELVG_IM", "OTFA_IM", "OTFU_IM", "Feil", "OTAR_IM", "OTEV_IM", "OTVF_IM", "OTLL_IM",
            ])
        #expect(OTStatusCode.allCases.count == 23)
        #expect(OTStatusCode.allCases.filter(\.closesRegistration) == OTStatusGroup.ikkeIMalgruppen.codes)
        #expect(OTStatusGroup.allCases.map(\.rawValue) == [1, 2, 3, 4, 5])
    }

    @Test("OTVF did not exist in the 2015 list: invalid before 1 August 2016")
    func otvfValidity() throws {
        let before = Samples.localDate("2016-07-31")
        let from = Samples.localDate("2016-08-01")
        #expect(!OTStatusCode.otvf.isValid(on: before))
        #expect(OTStatusCode.otvf.isValid(on: from))
        #expect(!OTStatusCode.otvfIM.isValid(on: before))
        #expect(throws: ContractError.codeNotValid(kind: "OT status code", code: "OTVF", date: before)) {
            try OTStatusCode.otvf.validate(on: before)
        }
        #expect(OTStatusCode.otev.isValid(on: before))
        #expect(!OTStatusCode.otev.isValid(on: Samples.localDate("2015-07-31")))
        #expect(!OTStatusCode.validCodes(on: before).contains(.otvf))
        #expect(OTStatusCode.validCodes(on: from).count == 23)
    }

    @Test(
        "unknown codes are errors naming the list",
        arguments: [
            ("OTXX", "OT status code"), ("otuk", "OT status code"), ("FEIL", "OT status code"),
        ]
    )
    func unknownStatus(code: String, kind: String) {
        #expect(throws: ContractError.unknownCode(kind: kind, value: code)) {
            try OTStatusCode(code: code)
        }
    }

    @Test("every code list decodes its codes and rejects others")
    func allLists() throws {
        try Self.check(OTStatusCode.self, count: 23)
        try Self.check(DropoutReason.self, count: 13)
        try Self.check(RegistrationReason.self, count: 4)
        try Self.check(County.self, count: 15)
        try Self.check(Qualification.self, count: 5)
        try Self.check(OfferAnswer.self, count: 3)
        try Self.check(EnrollmentKind.self, count: 3)
        try Self.check(Gender.self, count: 2)
        try Self.check(ContactChannel.self, count: 6)
        try Self.check(ActivityType.self, count: 6)
        try Self.check(MeasureType.self, count: 5)
        try Self.check(ResponsibleAgency.self, count: 5)
        try Self.check(MeasureStatus.self, count: 4)
        try Self.check(ReplyStatus.self, count: 2)
        try Self.check(LookupStatus.self, count: 4)
        try Self.check(RegistrationClosureCause.self, count: 4)
        try Self.check(PlanClosureCause.self, count: 2)
        try Self.check(ActorRole.self, count: 2)
    }

    static func check<C: CodeList>(_ list: C.Type, count: Int) throws {
        #expect(C.allCases.count == count, "\(C.self)")
        // An enum without payloads, as its hashing assumes: each case a number of its own in at most a byte.
        #expect(MemoryLayout<C>.size <= 1, "\(C.self)")
        let representations = C.allCases.map { withUnsafeBytes(of: $0) { Array($0) } }
        #expect(Set(representations).count == count, "\(C.self)")
        #expect(Set(C.allCases).count == count && Set(C.allCases.map(\.hashValue)).count == count, "\(C.self)")
        for code in C.allCases {
            #expect(try C(code: code.rawValue) == code)
            let json = try JSONEncoder().encode([code])
            #expect(String(decoding: json, as: UTF8.self) == "[\"\(code.rawValue)\"]")
            #expect(try JSONDecoder().decode([C].self, from: json) == [code])
            try JSONStringValueTests.check(code)
        }
        #expect(throws: ContractError.unknownCode(kind: C.codeListName, value: "NOPE")) {
            try C(code: "NOPE")
        }
        do {
            _ = try JSONDecoder().decode([C].self, from: Data(#"["NOPE"]"#.utf8))
            Issue.record("\(C.self) decoded an unknown code")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.debugDescription == "unknown \(C.codeListName) 'NOPE'")
        }
    }

    @Test("B06 dropout reasons are the two-letter codes with their meaning")
    func dropoutReasons() {
        #expect(
            DropoutReason.allCases.map(\.rawValue) == [
                "AP", "AR", "AS", "FL", "FR", "FV", "LA", "MI", "PM", "UV", "IM", "TN", "AF",
            ])
        #expect(DropoutReason.didNotShowUp.meaning == "did not show up at school start")
        #expect(DropoutReason.allCases.allSatisfy { !$0.meaning.isEmpty })
    }

    @Test("counties are the 2024 numbers with their names")
    func counties() {
        #expect(
            County.allCases.map(\.number) == [
                "03", "11", "15", "18", "31", "32", "33", "34", "39", "40", "42", "46", "50", "55", "56",
            ])
        // Found by the value of their two digits: nothing else is a county.
        for code in ["3", "003", "30", "5O", "+3", "", "٠٣", "50 ", " 50"] {
            #expect(County(rawValue: code) == nil, "\(code)")
        }
        #expect(County.trondelag.name == "Trøndelag")
        #expect(County.moreOgRomsdal.name == "Møre og Romsdal")
        #expect(throws: ContractError.unknownCode(kind: "county number", value: "50 ")) {
            try County(code: "50 ")
        }
    }

    @Test("other codes read as the design writes them")
    func designCodes() {
        #expect(RegistrationReason.allCases.map(\.rawValue) == ["IKKE_SOKT", "TAKKET_NEI", "SLUTTET", "ANNET"])
        #expect(Gender.allCases.map(\.rawValue) == ["K", "M"])
        #expect(OfferAnswer.allCases.map(\.rawValue) == ["ACCEPTED", "DECLINED", "NO_ANSWER"])
        #expect(MeasureStatus.allCases.map(\.rawValue) == ["PLANNED", "IN_PROGRESS", "COMPLETED", "CANCELLED"])
        #expect(MeasureType.allCases.map(\.rawValue) == ["EDUCATION", "WORK", "NAV_MEASURE", "HEALTH", "OTHER"])
        #expect(ResponsibleAgency.allCases.map(\.rawValue) == ["OT", "NAV", "MUNICIPALITY", "SCHOOL", "EMPLOYER"])
        #expect(ContactChannel.allCases.map(\.rawValue) == ["MEETING", "PHONE", "LETTER", "SMS", "EMAIL", "DIGITAL"])
        #expect(LookupStatus.allCases.map(\.rawValue) == ["OK", "DENIED", "NOT_FOUND", "INVALID"])
    }

    @Test("measures move forward only")
    func measureTransitions() {
        #expect(MeasureStatus.planned.canChange(to: .inProgress))
        #expect(MeasureStatus.inProgress.canChange(to: .completed))
        #expect(!MeasureStatus.completed.canChange(to: .cancelled))
        #expect(!MeasureStatus.inProgress.canChange(to: .planned))
        #expect(!MeasureStatus.planned.canChange(to: .planned))
    }
}

@Suite("Programme-area codes", .timeLimit(.minutes(2)))
struct ProgrammeAreaTests {
    @Test("a code's programme and level, from its first two letters and its sixth character")
    func meanings() {
        #expect(ProgrammeArea.meaning(of: "STSSA1----") == "Vg1 Studiespesialisering")
        #expect(ProgrammeArea.meaning(of: "ELELE2----") == "Vg2 Elektro og datateknologi")
        #expect(ProgrammeArea.meaning(of: "HS") == "Helse- og oppvekstfag")
        #expect(ProgrammeArea.meaning(of: "XXABC1----") == nil)
    }
}
