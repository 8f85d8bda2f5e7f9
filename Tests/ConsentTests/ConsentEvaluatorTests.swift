import Consent
import FormKit
import Foundation
import Testing

/// The shipped child-protection policy (the Caring for Child Survivors bands)
/// over ages x caregiver situations x acts x what has been recorded: each row
/// names the answer a caseworker would be given.
@Suite("Consent evaluator")
struct ConsentEvaluatorTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let catalog = DefinitionLoader.load(roots: [root + "/FormDefinitions", root + "/Plugins"])
    static let policy = catalog.consentPolicy(forCaseType: "child-protection")!
    static let evaluator = ConsentEvaluator(policy: policy)
    static let today = Day(iso: "2026-11-29")!

    static func exception(_ id: String) -> ConsentPolicyDefinition.Exception { policy.exceptions.first { $0.id == id }! }

    // Acts.
    static let clinic = "Health clinic X"
    static let services = ConsentAct(.services)
    static let referral = ConsentAct(.referral, recipient: clinic)
    static let referralElsewhere = ConsentAct(.referral, recipient: "Legal aid Y")
    static let sharing = ConsentAct(.informationSharing)
    static let contact = ConsentAct(.contactAfterClosure)

    // Records.
    static let all: Set<ConsentScope> = [.services, .referral, .informationSharing, .contactAfterClosure]
    static func record(_ giver: ConsentRecord.Giver, _ kind: ConsentRecord.Kind, _ scopes: Set<ConsentScope> = all, for recipient: String? = nil, withdrawn: Set<ConsentScope> = []) -> ConsentRecord {
        ConsentRecord(id: "\(giver.rawValue)-\(kind.rawValue)", giver: giver, kind: kind, scopes: scopes, recipient: recipient, givenOn: today, withdrawn: withdrawn)
    }
    static let childAssents = record(.child, .assent)
    static let childConsents = record(.child, .consent)
    static let caregiverConsents = record(.caregiver, .consent)
    static let trustedAdultConsents = record(.trustedAdult, .consent)
    static let caseWorkerDecides = record(.caseWorkerBestInterest, .consent)
    static let survivorConsents = record(.survivor, .consent)

    // What can be missing.
    static func needs(_ givers: [ConsentRecord.Giver], _ kind: ConsentRecord.Kind, _ act: ConsentAct) -> ConsentRequirement {
        .agreement(givers: givers, kind: kind, act: act)
    }
    static let substitutes: [ConsentRecord.Giver] = [.trustedAdult, .caseWorkerBestInterest]
    static func conference(_ exception: String) -> ConsentRequirement { .caseConference(exception: exception) }
    static func approval(_ exception: String) -> ConsentRequirement { .approval(role: "case_manager", exception: exception) }

    struct Row: CustomTestStringConvertible, Sendable {
        var age: Int?
        var situation: String?  // nil: a caregiver who is safe to involve
        var records: [ConsentRecord]
        var act: ConsentAct
        var conference = false
        var approved = false
        var missing: [ConsentRequirement]
        var testDescription: String {
            "age \(age.map(String.init) ?? "?") · \(situation ?? "caregiver safe") · \(act.scope.rawValue)\(act.recipient.map { " to \($0)" } ?? "") · \(records.map(\.id).joined(separator: "+"))"
        }
    }

    static let perpetrator = "caregiver_is_perpetrator", notSafe = "caregiver_not_safe", noCaregiver = "no_caregiver", unaccompanied = "unaccompanied"

    static let rows: [Row] = [
        // 0-5: the caregiver consents; the child is told, not asked.
        Row(age: 4, records: [], act: services, missing: [needs([.caregiver], .consent, services)]),
        Row(age: 4, records: [caregiverConsents], act: services, missing: []),
        Row(age: 4, records: [caregiverConsents], act: referral, missing: []),
        Row(age: 4, situation: perpetrator, records: [caregiverConsents], act: services,
            missing: [needs(substitutes, .consent, services), conference(perpetrator), approval(perpetrator)]),
        Row(age: 4, situation: perpetrator, records: [trustedAdultConsents], act: services, conference: true, approved: true, missing: []),
        Row(age: 4, situation: noCaregiver, records: [caseWorkerDecides], act: referral, approved: true, missing: []),
        Row(age: 4, situation: unaccompanied, records: [caseWorkerDecides], act: referral, approved: true, missing: [conference(unaccompanied)]),
        // 6-11: the child assents and the caregiver consents.
        Row(age: 9, records: [], act: services, missing: [needs([.child], .assent, services), needs([.caregiver], .consent, services)]),
        Row(age: 9, records: [childAssents, caregiverConsents], act: services, missing: []),
        Row(age: 9, records: [caregiverConsents], act: referral, missing: [needs([.child], .assent, referral)]),
        Row(age: 9, records: [childConsents], act: sharing, missing: [needs([.caregiver], .consent, sharing)]),
        Row(age: 9, situation: perpetrator, records: [childAssents, caregiverConsents], act: services,
            missing: [needs(substitutes, .consent, services), conference(perpetrator), approval(perpetrator)]),
        Row(age: 9, situation: perpetrator, records: [childAssents, trustedAdultConsents], act: services, conference: true, approved: true, missing: []),
        Row(age: 9, situation: notSafe, records: [childAssents, trustedAdultConsents], act: contact, conference: true, missing: [approval(notSafe)]),
        Row(age: 9, situation: noCaregiver, records: [childAssents], act: services, approved: true, missing: [needs(substitutes, .consent, services)]),
        Row(age: 9, situation: unaccompanied, records: [childAssents, caseWorkerDecides], act: referral, conference: true, approved: true, missing: []),
        // 12-14: the same, with referrals to a named service.
        Row(age: 13, records: [childAssents, caregiverConsents], act: referral, missing: []),
        Row(age: 13, records: [childAssents, record(.caregiver, .consent, withdrawn: [.referral])], act: referral,
            missing: [needs([.caregiver], .consent, referral)]),
        Row(age: 13, records: [record(.child, .assent, [.referral], for: "Legal aid Y"), record(.caregiver, .consent, [.referral], for: "Legal aid Y")], act: referral,
            missing: [needs([.child], .assent, referral), needs([.caregiver], .consent, referral)]),
        Row(age: 13, records: [record(.child, .assent, [.referral], for: "Legal aid Y"), record(.caregiver, .consent, [.referral], for: "Legal aid Y")],
            act: referralElsewhere, missing: []),
        Row(age: 13, situation: perpetrator, records: [childAssents, trustedAdultConsents], act: referral,
            missing: [conference(perpetrator), approval(perpetrator)]),
        Row(age: 13, situation: noCaregiver, records: [], act: sharing,
            missing: [needs([.child], .assent, sharing), needs(substitutes, .consent, sharing), approval(noCaregiver)]),
        Row(age: 13, situation: unaccompanied, records: [trustedAdultConsents], act: services, conference: true, approved: true,
            missing: [needs([.child], .assent, services)]),
        // 15-17: the child consents; the caregiver too, unless the case worker decides otherwise in the child's best interests.
        Row(age: 16, records: [childAssents], act: services,
            missing: [needs([.child], .consent, services), needs([.caregiver, .caseWorkerBestInterest], .consent, services)]),
        Row(age: 16, records: [childConsents, caregiverConsents], act: services, missing: []),
        Row(age: 16, records: [childConsents, caseWorkerDecides], act: services, missing: []),
        Row(age: 16, records: [childConsents], act: contact, missing: [needs([.caregiver, .caseWorkerBestInterest], .consent, contact)]),
        Row(age: 16, situation: perpetrator, records: [childConsents, caregiverConsents], act: services, conference: true, approved: true,
            missing: [needs(substitutes, .consent, services)]),
        Row(age: 16, situation: perpetrator, records: [childConsents, trustedAdultConsents], act: referral, conference: true, approved: true, missing: []),
        Row(age: 16, situation: unaccompanied, records: [childConsents, caseWorkerDecides], act: sharing, approved: true, missing: [conference(unaccompanied)]),
        // 18 and over: the person consents for themself; no one else's agreement counts, no exception applies.
        Row(age: 30, records: [], act: services, missing: [needs([.survivor], .consent, services)]),
        Row(age: 30, records: [survivorConsents], act: referral, missing: []),
        Row(age: 30, records: [record(.survivor, .consent, [.services])], act: sharing, missing: [needs([.survivor], .consent, sharing)]),
        Row(age: 30, situation: perpetrator, records: [survivorConsents], act: services, missing: []),
        Row(age: 30, records: [caregiverConsents], act: services, missing: [needs([.survivor], .consent, services)]),
        Row(age: 30, records: [record(.survivor, .assent)], act: services, missing: [needs([.survivor], .consent, services)]),
        // No age: the policy cannot say who must agree.
        Row(age: nil, records: [childAssents, caregiverConsents], act: services, missing: [.age]),
    ]

    @Test(arguments: rows)
    func theAnswerNamesEverythingStillMissing(row: Row) {
        let situation = ConsentSituation(
            age: row.age, exception: row.situation.map(Self.exception), records: row.records, caseConferenceHeld: row.conference,
            approvedBy: row.approved ? ["case_manager"] : [])
        let answer = Self.evaluator.answer(for: row.act, in: situation)
        #expect(answer.missing == row.missing)
        #expect(answer.allowed == row.missing.isEmpty)
        if answer.allowed { #expect(!answer.agreedBy.isEmpty || row.age == nil) }
    }

    @Test func aChildWhoHasTurned15SinceAssentingConsentsAgainInTheirOwnRight() {
        // Born 2011-01-10: 15 on 2026-01-10. He assented (and his mother consented) at 14.
        let born = Day(iso: "2011-01-10")!, atFourteen = Day(iso: "2025-06-01")!
        let assentAt14 = ConsentRecord(id: "core/consent#1", giver: .child, kind: .assent, scopes: Self.all, givenOn: atFourteen)
        let consentAt14 = ConsentRecord(id: "core/consent#2", giver: .child, kind: .consent, scopes: Self.all, givenOn: atFourteen)
        let mother = ConsentRecord(id: "core/consent#3", giver: .caregiver, kind: .consent, scopes: Self.all, givenOn: atFourteen)
        func answer(_ records: [ConsentRecord]) -> ConsentAnswer {
            let situation = ConsentSituation(
                age: ConsentSituation.age(dateOfBirth: born, estimatedAge: nil, today: Self.today), records: records, dateOfBirth: born, today: Self.today)
            return Self.evaluator.answer(for: Self.services, in: situation)
        }
        // Even a consent he gave at 14 is asked again now that he is 15: in his own right, at his age.
        #expect(answer([assentAt14, mother]).missing == [.renewal(giver: .child, kind: .consent, act: Self.services, age: 15)])
        #expect(answer([consentAt14, mother]).missing == [.renewal(giver: .child, kind: .consent, act: Self.services, age: 15)])
        let renewed = ConsentRecord(id: "core/consent#4", giver: .child, kind: .consent, scopes: Self.all, givenOn: Self.today)
        #expect(answer([assentAt14, mother, renewed]).allowed)
        // Without a date of birth, the estimated age is counted back from today.
        let estimated = ConsentSituation(age: 15, records: [assentAt14, mother], today: Self.today)
        #expect(estimated.age(on: atFourteen) == 14)
        #expect(Self.evaluator.answer(for: Self.services, in: estimated).missing.map(\.code) == ["consent.renewal"])
    }

    @Test func theTableIsBigEnoughToMeanSomething() {
        #expect(Self.rows.count >= 30)
        #expect(Set(Self.rows.compactMap(\.age)).count == 5)
        #expect(Set(Self.rows.compactMap(\.situation)) == [Self.perpetrator, Self.notSafe, Self.noCaregiver, Self.unaccompanied])
    }

    @Test func ageComesFromTheDateOfBirthElseTheEstimate() {
        #expect(ConsentSituation.age(dateOfBirth: Day(iso: "2014-11-30"), estimatedAge: 40, today: Self.today) == 11)
        #expect(ConsentSituation.age(dateOfBirth: Day(iso: "2014-11-29"), estimatedAge: nil, today: Self.today) == 12)
        #expect(ConsentSituation.age(dateOfBirth: nil, estimatedAge: 15, today: Self.today) == 15)
        #expect(ConsentSituation.age(dateOfBirth: nil, estimatedAge: nil, today: Self.today) == nil)
    }

    @Test func theExceptionIsReadFromTheChildsRegistration() {
        func registration(_ values: [String: Value]) -> [String: [String: Value]] { ["child-protection/child-registration": values] }
        let perpetrator = registration(["caregiver_is_alleged_perpetrator": .boolean(true), "caregiver_safe_to_involve": .boolean(false)])
        #expect(ConsentSituation.exception(of: Self.policy, answers: perpetrator, today: Self.today)?.id == "caregiver_is_perpetrator")
        let unaccompanied = registration(["separation_status": .text("unaccompanied")])
        #expect(ConsentSituation.exception(of: Self.policy, answers: unaccompanied, today: Self.today)?.id == "unaccompanied")
        let safe = registration(["caregiver_is_alleged_perpetrator": .boolean(false), "caregiver_safe_to_involve": .boolean(true), "has_caregiver": .boolean(true)])
        #expect(ConsentSituation.exception(of: Self.policy, answers: safe, today: Self.today) == nil)
        #expect(ConsentSituation.exception(of: Self.policy, answers: [:], today: Self.today) == nil)
    }

    @Test func whatIsMissingIsSaidInTheCaseworkersLanguage() throws {
        let messages = Self.catalog.messages
        let labels: [String: String] = [
            "consent-giver:child": "The child", "consent-kind:assent": "Informed assent (child)", "consent-scope:referral": "Referral",
            "consent-exception:caregiver_is_perpetrator": "A caregiver is the perpetrator", "case_manager": "case manager",
        ]
        let name = { (id: String) in labels[id] ?? id }
        #expect(Self.needs([.child], .assent, Self.referral).message("en", messages: messages, name: name)
            == "Informed assent (child) for 'Referral — Health clinic X' from: The child.")
        #expect(Self.conference("caregiver_is_perpetrator").message("en", messages: messages, name: name)
            == "A case conference decision, because: A caregiver is the perpetrator.")
        #expect(Self.approval("caregiver_is_perpetrator").message("ar", messages: messages, name: name).hasPrefix("موافقة case manager"))
        #expect(ConsentRequirement.age.message("ar", messages: messages, name: name).contains("تاريخ الميلاد"))
    }
}
