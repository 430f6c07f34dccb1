import Foundation
import OTContract
import TestTraits
import Testing

@testable import Statistics

/// Figures follow the dates a registration's status and unit changed, whatever else arrives later (issue 10, items
/// 3 and 6). Expected counts are written out by hand from the scenario.
@Suite("Statistics on event time", .serialized, .timeLimit(.minutes(5)), .tags(.broker), .needsBroker)
struct EventTimeFigureTests {
    @Test("a back-dated activity, contact or transfer rewrites no status; a registration closed as Feil never counted")
    func statusFollowsStatusEvents() async throws {
        try await StatisticsFixture.with(today: "2026-03-01") { fixture in
            try fixture.startInstance()
            let year = SchoolYear(startYear: 2025)
            let birth = date("2008-05-17")  // 18 at the end of 2026
            var events: [RegistrationEvent] = []
            for index in 0..<10 {
                // Registered 10 January in unit 5001 (OTUK), in activity (OTOA) from 10 February. Recorded after
                // that, each carrying the status of the day it was recorded (OTOA): a contact dated 15 January, an
                // activity dated 20 January, and a transfer to unit 5002 dated 25 January.
                let person = try NationalID.synthetic(birthDate: birth, index: 100 + index)
                let id = "active-\(index)"
                events += [
                    .registered(
                        YouthRegistered(
                            registrationId: id, personId: person, unitId: "5001", countyNumber: .trondelag,
                            schoolYear: year, registeredAt: date("2026-01-10"), reason: .sluttet, statusCode: .otuk,
                            statusGroup: .ukjentAktivitet, birthDate: birth, gender: .kvinne)),
                    .statusChanged(
                        StatusChanged(
                            registrationId: id, personId: person, unitId: "5001", countyNumber: .trondelag,
                            schoolYear: year, from: .otuk, to: .otoa, reason: .sluttet, statusGroup: .iAktivitet,
                            effectiveDate: date("2026-02-10"), birthDate: birth, gender: .kvinne)),
                    .contactRecorded(
                        ContactRecorded(
                            registrationId: id, personId: person, unitId: "5001", countyNumber: .trondelag,
                            schoolYear: year, date: date("2026-01-15"), channel: .phone, reached: true,
                            reason: .sluttet,
                            statusCode: .otoa, statusGroup: .iAktivitet, birthDate: birth, gender: .kvinne)),
                    .activityRecorded(
                        ActivityRecorded(
                            registrationId: id, personId: person, unitId: "5001", countyNumber: .trondelag,
                            schoolYear: year, activityType: .guidance, date: date("2026-01-20"), reason: .sluttet,
                            statusCode: .otoa, statusGroup: .iAktivitet, birthDate: birth, gender: .kvinne)),
                    .transferred(
                        YouthTransferred(
                            registrationId: id, personId: person, schoolYear: year, fromUnitId: "5001",
                            fromCountyNumber: .trondelag, toUnitId: "5002", toCountyNumber: .trondelag,
                            reason: .sluttet,
                            statusCode: .otoa, statusGroup: .iAktivitet, effectiveDate: date("2026-01-25"),
                            birthDate: birth, gender: .kvinne)),
                ]
            }
            for index in 0..<10 {
                // Registered 5 January in unit 5002; on 20 February a case worker finds it was made in error (Feil).
                let person = try NationalID.synthetic(birthDate: birth, index: 200 + index)
                let id = "error-\(index)"
                events += [
                    .registered(
                        YouthRegistered(
                            registrationId: id, personId: person, unitId: "5002", countyNumber: .trondelag,
                            schoolYear: year, registeredAt: date("2026-01-05"), reason: .ikkeSokt, statusCode: .otuk,
                            statusGroup: .ukjentAktivitet, birthDate: birth, gender: .mann)),
                    .statusChanged(
                        StatusChanged(
                            registrationId: id, personId: person, unitId: "5002", countyNumber: .trondelag,
                            schoolYear: year, from: .otuk, to: .feil, reason: .ikkeSokt, statusGroup: .ikkeIMalgruppen,
                            effectiveDate: date("2026-02-20"), birthDate: birth, gender: .mann)),
                    .closed(
                        RegistrationClosed(
                            registrationId: id, personId: person, unitId: "5002", countyNumber: .trondelag,
                            schoolYear: year, cause: .statusCode, reason: .ikkeSokt, statusCode: .feil,
                            statusGroup: .ikkeIMalgruppen, effectiveDate: date("2026-02-20"), birthDate: birth,
                            gender: .mann)),
                ]
            }
            try await fixture.publish(events)

            // On 1 February: ten youths in unit 5002 (moved 25 January) with status OTUK (OTOA only from 10 February);
            // none of those registered in error, in any cell. Now: the same ten, in activity.
            let february = StatisticsPeriod.reportingDate(date("2026-02-01"))
            let onFebruary1: [String: Int] = [
                "openRegistrations": 10, "byStatusGroup.1": 10, "byStatusCode.OTUK": 10, "byReason.SLUTTET": 10,
                "byAgeBand.18": 10, "byGender.K": 10, "schoolYearFlow.registered": 10,
            ]
            let now: [String: Int] = [
                "openRegistrations": 10, "byStatusGroup.3": 10, "byStatusCode.OTOA": 10, "byReason.SLUTTET": 10,
                "byAgeBand.18": 10, "byGender.K": 10, "schoolYearFlow.registered": 10,
                "schoolYearFlow.reachedActivity": 10,
            ]
            var expected: [StatisticsKey: [String: Int]] = [:]
            for period in [february, .current] {
                for key in [
                    StatisticsKey(scope: .unit, id: "5002", period: period),
                    StatisticsKey(scope: .county, id: "50", period: period), .national(period),
                ] {
                    expected[key] = period == .current ? now : onFebruary1
                }
            }
            try await fixture.waitForFigures(expected, periods: [february, .current])
        }
    }
}
