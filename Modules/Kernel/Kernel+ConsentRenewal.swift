import AmanaCore
import FormKit
import Foundation
import Store

/// A child who crosses an age band of the consent policy during the case
/// (turning 12, 15 or 18 with the shipped policies) must be asked again, in
/// their own right: the evaluator already asks for it from that day; these
/// timers put a task on the case owner's list on the birthday.
extension Kernel {
    /// The timer id of a consent renewal (not a workflow's: the Kernel's own).
    static let consentRenewalTimer = "consent_renewal"

    /// One timer for each birthday still ahead that moves the person into
    /// another age band of the policy, from the age answers as just saved: the
    /// date of birth, or else the estimated age (which was true on `savedOn`).
    /// Each timer's subject is the age reached.
    func consentRenewalTimers(policy: ConsentPolicyDefinition, values: [String: Value], givenOn: Day, caseID: CaseID, now: Date) -> [TimerRecord] {
        let source = policy.ageFrom
        let today = Day(now)
        let ages = Set(policy.bands.map(\.from).filter { $0 > 0 }).sorted()
        let birthday: (Int) -> Day?
        if case .date(let born)? = values[source.dateOfBirth] {
            birthday = { born.adding(years: $0) }
        } else if let field = source.estimatedAge, case .number(let years)? = values[field] {
            // An estimate gives no birthday: count from the day it was given.
            birthday = { givenOn.adding(years: $0 - Int(years)) }
        } else {
            return []
        }
        return ages.compactMap { age -> TimerRecord? in
            guard let day = birthday(age), today < day else { return nil }
            return TimerRecord(
                id: newID(), caseID: caseID, timerID: Self.consentRenewalTimer, firesAt: day.start, startedAt: now, subject: String(age))
        }
    }

    /// The renewals still ahead from the age answers the case holds (its latest
    /// entry of the policy's age form): for a case reopened.
    func plannedConsentRenewals(of opened: OpenedCase, now: Date) async throws -> [TimerRecord] {
        guard let policy = definitions.consentPolicy(forCaseType: opened.record.caseType), let validator = definitions.validator(for: policy.ageFrom.form),
            let latest = try await store.submissions(caseID: opened.record.id).filter({ $0.formID == policy.ageFrom.form }).max(by: { $0.entry < $1.entry })
        else { return [] }
        let values = validator.validate(try answers(of: latest, key: opened.key), today: Day(now)).values
        return consentRenewalTimers(policy: policy, values: values, givenOn: Day(latest.at), caseID: opened.record.id, now: now)
    }

    /// The renewal task a fired timer puts on the owner's list, due a week after the birthday.
    func consentRenewalTask(_ timer: TimerRecord, of record: CaseRecord, now: Date) -> TaskRecord? {
        guard record.closedAt == nil else { return nil }
        return TaskRecord(
            id: newID(), caseID: record.id, assigneeID: record.ownerID, timerID: timer.timerID, sealedTitle: nil, dueAt: timer.firesAt.addingTimeInterval(7 * 86_400),
            createdAt: now, subject: timer.subject)
    }
}

extension Day {
    /// The same day `years` later (28 February for 29 February in a year without it).
    func adding(years: Int) -> Day? {
        let (year, month, day) = components
        return Day(year: year + years, month: month, day: day) ?? Day(year: year + years, month: month, day: day - 1)
    }

    /// Midnight UTC at the start of the day.
    var start: Date { Date(timeIntervalSince1970: TimeInterval(number) * 86_400) }
}
