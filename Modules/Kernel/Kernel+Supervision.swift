import AmanaCore
import FormKit
import Foundation
import Identity
import Store
import Vault

/// What was said in an individual supervision meeting (Libya SOP, individual
/// supervision): the cases discussed, how the staff member is, what support follows.
public struct SupervisionNotes: Sendable, Equatable, Codable {
    /// The cases and the questions gone through (identifying details may be discussed in the meeting; write only what is needed).
    public var discussed: String
    /// How the staff member felt in their work; whether they want emotional support or any staff welfare consideration.
    public var wellbeing: String?
    /// Support, training or follow-up agreed.
    public var support: String?
    /// When the next meeting is.
    public var nextMeeting: String?

    public init(discussed: String, wellbeing: String? = nil, support: String? = nil, nextMeeting: String? = nil) {
        self.discussed = discussed
        self.wellbeing = wellbeing
        self.support = support
        self.nextMeeting = nextMeeting
    }
}

/// One supervision meeting as its readers see it.
public struct SupervisionSessionView: Sendable, Equatable, Codable {
    public var id: String
    public var staff: String
    public var supervisor: String
    public var heldOn: String
    public var notes: SupervisionNotes
    public var createdAt: Date
}

/// Individual supervision of staff, recorded apart from cases: a supervisor
/// records meetings with the people they supervise; both of them read them.
extension Kernel {
    /// Records a meeting with `staff` (someone the supervisor supervises: ``supervises(_:within:actor:)``).
    public func recordSupervision(staff username: String, heldOn: String, notes: SupervisionNotes, actor: Actor, requestID: String) async throws(AmanaError) -> SupervisionSessionView {
        guard let scope = actor.role.scope(for: "case", "approve") else {
            throw await refuse(.user(actor), "supervision.record", "supervision", requestID: requestID)
        }
        guard let day = Day(iso: heldOn), heldOn.count == 10 else { throw .invalid("held-on", "Give the day of the meeting as YYYY-MM-DD.", pointer: "/held_on") }
        guard !(Day(clock.now()) < day) else { throw .invalid("held-on", "A meeting cannot be recorded before it is held.", pointer: "/held_on") }
        let texts = [("/notes/discussed", notes.discussed), ("/notes/wellbeing", notes.wellbeing ?? ""), ("/notes/support", notes.support ?? ""), ("/notes/next_meeting", notes.nextMeeting ?? "")]
        if notes.discussed.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw .invalid("discussed-required", "Say what was discussed.", pointer: "/notes/discussed")
        }
        if let long = texts.first(where: { $0.1.utf8.count > 10_000 }) { throw .invalid("too-long", "A note has at most 10000 bytes.", pointer: long.0) }
        return try await run {
            guard let staff = try await store.user(username: username), !staff.disabled, supervises(staff, within: scope, actor: actor) else {
                throw AmanaError.invalid(
                    "staff", "'\(username)' is not someone you supervise (an active colleague of your team, in a role yours supervises).", pointer: "/staff")
            }
            let id = newID()
            let bound = CaseID("supervision:" + id)
            let (wrapped, key) = try vault.newCaseKey(for: bound)
            let record = SupervisionRecord(
                id: id, agencyID: actor.agencyID, staffID: staff.id, supervisorID: actor.userID, heldOn: day.description, createdAt: clock.now(),
                wrappedKey: wrapped.bytes, keyVersion: wrapped.keyVersion, sealedNotes: try sealDocument(notes, key: key, caseID: bound, as: "supervision"))
            try await store.insertSupervision(record, audit: audit(actor.auditName, "supervision.record", "supervision:\(id)", requestID: requestID, detail: "staff=user:\(staff.id.rawValue)"))
            return SupervisionSessionView(id: id, staff: staff.username, supervisor: actor.username, heldOn: record.heldOn, notes: notes, createdAt: record.createdAt)
        }
    }

    /// Whether the actor supervises `staff`: someone else of their agency, in a role the actor's
    /// role supervises (`supervises` in the roles file: a case manager's case workers, not another
    /// case manager), within the reach of their `case: approve` (`scope`: their team, or the agency).
    func supervises(_ staff: UserRecord, within scope: Scope, actor: Actor) -> Bool {
        staff.agencyID == actor.agencyID && staff.id != actor.userID && actor.role.supervises.contains(staff.role)
            && (scope >= .agency || (staff.teamID != nil && staff.teamID == actor.teamID))
    }

    /// The meetings the actor may read: those they held, those of the people they
    /// supervise (``supervises(_:within:actor:)``), and their own as the one supervised.
    /// `staff` narrows to one person.
    public func supervisionSessions(staff username: String? = nil, actor: Actor, requestID: String) async throws(AmanaError) -> [SupervisionSessionView] {
        try await run {
            let users = Dictionary(uniqueKeysWithValues: try await store.users().map { ($0.id, $0) })
            let scope = actor.role.scope(for: "case", "approve")
            var views: [SupervisionSessionView] = []
            for record in try await store.supervisions(agencyID: actor.agencyID) {
                let staff = users[record.staffID]
                let theirs = scope.flatMap { scope in staff.map { supervises($0, within: scope, actor: actor) } } ?? false
                guard record.staffID == actor.userID || record.supervisorID == actor.userID || theirs else { continue }
                if let username, staff?.username != username { continue }
                let bound = CaseID("supervision:" + record.id)
                let key = try vault.unwrap(WrappedCaseKey(bytes: record.wrappedKey, keyVersion: record.keyVersion), for: bound)
                views.append(SupervisionSessionView(
                    id: record.id, staff: staff?.username ?? "", supervisor: users[record.supervisorID]?.username ?? "", heldOn: record.heldOn,
                    notes: try unsealDocument(SupervisionNotes.self, record.sealedNotes, key: key, caseID: bound, as: "supervision"), createdAt: record.createdAt))
            }
            try await store.appendAudit(audit(actor.auditName, "supervision.list", "supervision", requestID: requestID, detail: "count=\(views.count)"))
            return views
        }
    }
}
