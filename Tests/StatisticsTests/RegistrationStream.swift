import Foundation
import OTContract
import OTSimulation

/// A seeded stream of `ot.registrations.v1` events as the registrations service would publish them: youths in
/// every county and both units, contacts, status changes (some back-dated, arriving after later ones), transfers,
/// closures, the school-year roll-over on 1 August, and registrations the school year before.
struct RegistrationStream {
    /// The events in publishing order (per person, causal order).
    var events: [RegistrationEvent] = []

    init(youths: Int, seed: UInt64, firstIndex: Int = 0) {
        var random = SeededGenerator(seed: seed)
        let year = SchoolYear(startYear: 2025)
        let next = year.next
        for index in firstIndex..<(firstIndex + youths) {
            let county = County.allCases[index % County.allCases.count]
            var unit = county.rawValue + (random.chance(0.4) ? "02" : "01")
            let birthDate = LocalDate(
                daysSince1970: random.int(in: date("2002-01-01").daysSince1970...date("2011-06-30").daysSince1970))
            let person = try! NationalID.synthetic(birthDate: birthDate, index: index % 300)
            let gender: Gender? = random.chance(0.05) ? nil : (random.chance(0.5) ? .kvinne : .mann)
            let reason = RegistrationReason.allCases[random.int(in: 0...(RegistrationReason.allCases.count - 1))]
            var registrationId = "r\(index)-a"

            if random.chance(0.2) {
                // Registered the school year before, and out again in work.
                let previousId = "r\(index)-p"
                events.append(
                    .registered(
                        YouthRegistered(
                            registrationId: previousId, personId: person, unitId: unit, countyNumber: county,
                            schoolYear: year.previous, registeredAt: date("2025-03-01"), reason: reason,
                            statusCode: .otuk,
                            statusGroup: .ukjentAktivitet, birthDate: birthDate, gender: gender)))
                events.append(
                    .statusChanged(
                        StatusChanged(
                            registrationId: previousId, personId: person, unitId: unit, countyNumber: county,
                            schoolYear: year.previous, from: .otuk, to: .otarIM, reason: reason,
                            statusGroup: .ikkeIMalgruppen,
                            effectiveDate: date("2025-06-01"), birthDate: birthDate, gender: gender)))
                events.append(
                    .closed(
                        RegistrationClosed(
                            registrationId: previousId, personId: person, unitId: unit, countyNumber: county,
                            schoolYear: year.previous, cause: .statusCode, reason: reason, statusCode: .otarIM,
                            statusGroup: .ikkeIMalgruppen, effectiveDate: date("2025-06-01"), birthDate: birthDate,
                            gender: gender)))
            }

            var day = random.int(in: date("2025-08-15").daysSince1970...date("2026-05-31").daysSince1970)
            var status = OTStatusCode.otuk
            var open = true
            events.append(
                .registered(
                    YouthRegistered(
                        registrationId: registrationId, personId: person, unitId: unit, countyNumber: county,
                        schoolYear: year,
                        registeredAt: LocalDate(daysSince1970: day), reason: reason, statusCode: .otuk,
                        statusGroup: .ukjentAktivitet, birthDate: birthDate, gender: gender)))
            func change(to code: OTStatusCode, on effective: Int) {
                events.append(
                    .statusChanged(
                        StatusChanged(
                            registrationId: registrationId, personId: person, unitId: unit, countyNumber: county,
                            schoolYear: year, from: status, to: code, reason: reason, statusGroup: code.group,
                            effectiveDate: LocalDate(daysSince1970: effective), birthDate: birthDate, gender: gender)))
                status = code
            }
            if random.chance(0.7) {
                day += random.int(in: 3...40)
                change(to: .otov, on: day)
            }
            if status == .otov && random.chance(0.55) {
                day += random.int(in: 5...60)
                change(to: [.otoa, .otap, .otar, .otev, .otll][random.int(in: 0...4)], on: day)
            } else if status == .otov && random.chance(0.3) {
                day += random.int(in: 5...60)
                change(to: [.otno, .otmi, .otsy][random.int(in: 0...2)], on: day)
            }
            if random.chance(0.08) {
                // A correction dated back before the last change, arriving after it.
                change(to: .otba, on: day - random.int(in: 1...20))
            }
            if random.chance(0.1) {
                day += random.int(in: 1...30)
                let toUnit = county.rawValue + (unit.hasSuffix("01") ? "02" : "01")
                events.append(
                    .transferred(
                        YouthTransferred(
                            registrationId: registrationId, personId: person, schoolYear: year, fromUnitId: unit,
                            fromCountyNumber: county, toUnitId: toUnit, toCountyNumber: county, reason: reason,
                            statusCode: status, statusGroup: status.group, effectiveDate: LocalDate(daysSince1970: day),
                            birthDate: birthDate, gender: gender)))
                unit = toUnit
            }
            if random.chance(0.2) && day < date("2026-07-01").daysSince1970 {
                day += random.int(in: 1...25)
                change(to: .otevIM, on: day)
                events.append(
                    .closed(
                        RegistrationClosed(
                            registrationId: registrationId, personId: person, unitId: unit, countyNumber: county,
                            schoolYear: year, cause: .statusCode, reason: reason, statusCode: .otevIM,
                            statusGroup: .ikkeIMalgruppen, effectiveDate: LocalDate(daysSince1970: day),
                            birthDate: birthDate,
                            gender: gender)))
                open = false
            }
            if open {
                // 1 August: the school year ends and the registration goes on as a new one.
                events.append(
                    .closed(
                        RegistrationClosed(
                            registrationId: registrationId, personId: person, unitId: unit, countyNumber: county,
                            schoolYear: year, cause: .schoolYearEnded, reason: reason, statusGroup: status.group,
                            effectiveDate: date("2026-07-31"), birthDate: birthDate, gender: gender)))
                registrationId = "r\(index)-b"
                events.append(
                    .registered(
                        YouthRegistered(
                            registrationId: registrationId, personId: person, unitId: unit, countyNumber: county,
                            schoolYear: next, registeredAt: date("2026-08-01"), reason: reason, statusCode: status,
                            statusGroup: status.group, birthDate: birthDate, gender: gender)))
            }
        }
    }
}

func date(_ text: String) -> LocalDate { try! LocalDate(text) }

extension SeededGenerator {
    /// A number in `range`.
    mutating func int(in range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
}
