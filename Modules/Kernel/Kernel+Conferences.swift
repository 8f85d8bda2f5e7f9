import AmanaCore
import Consent
import FormKit
import Foundation
import Identity
import Store
import Vault

/// Case conferences: scheduled on a case with participants chosen on a
/// need-to-know basis; agenda, decisions and plan changes recorded; notes only
/// participants read. A held conference meets a consent policy's
/// `case_conference` requirement for the exception it decided on, and a
/// workflow's `case_conference` guard in the state it was held in.
extension Kernel {
    public func scheduleConference(caseID: String, plan: ConferencePlan, actor: Actor, requestID: String) async throws(AmanaError) -> ConferenceView {
        let agenda = plan.agenda.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...4000).contains(agenda.utf8.count) else { throw .invalid("agenda", "Write the agenda in 1 to 4000 bytes.", pointer: "/agenda") }
        let external = plan.externalParticipants.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard external.count <= 20, external.allSatisfy({ (1...200).contains($0.utf8.count) }) else {
            throw .invalid("external-participants", "Name at most 20 outside participants, each in 1 to 200 bytes.", pointer: "/external_participants")
        }
        guard plan.participants.count <= 30 else { throw .invalid("participants", "At most 30 participants.", pointer: "/participants") }
        return try await run {
            let opened = try await accessCase(caseID, for: "update", actor: actor, auditAction: "conference.schedule", requestID: requestID)
            try requireOpen(opened.record)
            var participants: [UserID] = [actor.userID]
            var invited: [UserID] = []
            for (index, username) in plan.participants.enumerated() {
                // Need to know: only colleagues who could work on this programme's cases.
                guard let person = try await colleague(username, on: opened.record), person.may("read", "case") else {
                    throw AmanaError.invalid("participant", "'\(username)' cannot take part: no such active colleague working on this programme.", pointer: "/participants/\(index)")
                }
                if !participants.contains(person.userID) { participants.append(person.userID) }
                // One who cannot see the case yet is invited into it, by someone who may invite.
                if !person.may("read", "case", on: opened.holding) {
                    guard actor.may("assign", "case", on: opened.holding) else {
                        throw AmanaError.invalid(
                            "participant-not-on-case", "'\(username)' cannot see this case; ask your supervisor to invite them or to schedule the conference.",
                            pointer: "/participants/\(index)")
                    }
                    invited.append(person.userID)
                }
            }
            let now = clock.now()
            let id = newID()
            let content = ConferenceContent(agenda: agenda, survivorInvited: plan.survivorInvited, externalParticipants: external)
            let record = try await addActivity(
                CaseActivityRecord(
                    id: id, caseID: opened.record.id, kind: .conference, status: "scheduled", createdAt: now, createdBy: actor.userID, updatedAt: now,
                    dueAt: plan.scheduledFor, participants: participants, sealedContent: [],
                    sealedRestricted: try sealDocument([ConferenceNote](), key: opened.key, caseID: opened.record.id, as: Kernel.restrictedPurpose(id))),
                content: content, key: opened.key,
                audit: audit(actor.auditName, "conference.schedule", "case:\(caseID)", requestID: requestID, detail: "conference=\(id) participants=\(participants.count) invited=\(invited.count)")
            ) { $0.membersAdded = invited }
            return try await conferenceView(record, opened, actor: actor)
        }
    }

    /// The case's conferences, oldest first.
    public func conferences(caseID: String, actor: Actor, requestID: String) async throws(AmanaError) -> [ConferenceView] {
        try await run {
            let opened = try await accessCase(caseID, for: "read", actor: actor, auditAction: "conference.list", requestID: requestID)
            var views: [ConferenceView] = []
            for record in try await store.activities(caseID: opened.record.id) where record.kind == .conference {
                views.append(try await conferenceView(record, opened, actor: actor))
            }
            try await store.appendAudit(audit(actor.auditName, "conference.list", "case:\(caseID)", requestID: requestID, detail: "count=\(views.count)"))
            return views
        }
    }

    /// Records what a scheduled conference decided; it is then held. Only a participant who may update the case.
    public func recordConferenceOutcome(
        caseID: String, conferenceID: String, outcome: ConferenceRecordedOutcome, expectVersion: Int?, actor: Actor, requestID: String
    ) async throws(AmanaError) -> ConferenceView {
        guard let expectVersion else { throw Kernel.versionRequired }
        let decisions = outcome.decisions.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...8000).contains(decisions.utf8.count) else { throw .invalid("decisions", "Write the decisions in 1 to 8000 bytes.", pointer: "/decisions") }
        let planChanges = outcome.planChanges?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (planChanges?.utf8.count ?? 0) <= 8000 else { throw .invalid("plan-changes", "Write the plan changes in at most 8000 bytes.", pointer: "/plan_changes") }
        let today = Day(clock.now())
        let heldOn = try outcome.heldOn.map { text throws(AmanaError) in
            guard let day = Day(iso: text), text.count == 10 else { throw .invalid("held-on", "Give the date it was held as YYYY-MM-DD.", pointer: "/held_on") }
            guard day <= today else { throw .invalid("held-on", "A conference is recorded once it has been held, not before.", pointer: "/held_on") }
            return day
        } ?? today
        return try await run {
            let (opened, record, content) = try await conference(caseID, conferenceID, for: "update", actor: actor, auditAction: "conference.outcome", requestID: requestID)
            try requireOpen(opened.record)
            guard record.participants.contains(actor.userID) else {
                throw await refuse(.user(actor), "conference.outcome", "case:\(caseID)", requestID: requestID, as: .forbidden("Only a participant records what the conference decided."))
            }
            guard record.status == "scheduled" else {
                throw AmanaError(.conflict, code: "conference-not-scheduled", "This conference was already \(record.status); its record cannot be replaced.")
            }
            if let exception = outcome.consentException {
                // A decision is about the case as it stands: the exception that applies now.
                var applying: ConsentPolicyDefinition.Exception?
                if let policy = definitions.consentPolicy(forCaseType: opened.record.caseType) {
                    applying = ConsentEvaluator(policy: policy).applyingException(in: try await consentSituation(of: opened.record, key: opened.key, policy: policy))
                }
                guard applying?.id == exception else {
                    throw AmanaError.invalid(
                        "consent-exception",
                        "A conference decides on the consent exception that applies to this case now: \(applying.map { "'\($0.id)'" } ?? "none applies").",
                        pointer: "/consent_exception")
                }
                guard record.participants.count + content.externalParticipants.count >= 2 else {
                    throw AmanaError(.conflict, code: "conference-too-small", "A decision on consent is made by a conference of at least two people; add the others who took part.")
                }
            }
            let now = clock.now()
            var updated = content
            updated.outcome = ConferenceOutcome(
                heldOn: heldOn.description, decisions: decisions, planChanges: planChanges.flatMap { $0.isEmpty ? nil : $0 }, survivorAttended: outcome.survivorAttended,
                consentException: outcome.consentException, caseState: opened.record.state, recordedBy: actor.userID.rawValue, recordedAt: now)
            var held = record
            held.status = "held"
            held = try await updateActivity(
                held, content: updated, key: opened.key, expectVersion: expectVersion,
                audit: audit(actor.auditName, "conference.outcome", "case:\(caseID)", requestID: requestID, detail: "conference=\(record.id)"))
            return try await conferenceView(held, opened, actor: actor)
        }
    }

    /// Cancels a conference not yet held, saying why.
    public func cancelConference(caseID: String, conferenceID: String, reason: String, expectVersion: Int?, actor: Actor, requestID: String) async throws(AmanaError) -> ConferenceView {
        guard let expectVersion else { throw Kernel.versionRequired }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...2000).contains(reason.utf8.count) else { throw .invalid("reason", "Say why in 1 to 2000 bytes.", pointer: "/reason") }
        return try await run {
            let (opened, record, content) = try await conference(caseID, conferenceID, for: "update", actor: actor, auditAction: "conference.cancel", requestID: requestID)
            try requireOpen(opened.record)
            guard record.status == "scheduled" else {
                throw AmanaError(.conflict, code: "conference-not-scheduled", "This conference was already \(record.status).")
            }
            var updated = content
            updated.cancelReason = reason
            var cancelled = record
            cancelled.status = "cancelled"
            cancelled = try await updateActivity(
                cancelled, content: updated, key: opened.key, expectVersion: expectVersion,
                audit: audit(actor.auditName, "conference.cancel", "case:\(caseID)", requestID: requestID, detail: "conference=\(record.id)"))
            return try await conferenceView(cancelled, opened, actor: actor)
        }
    }

    /// Adds a confidential note: only participants write and read them. Notes only
    /// add, so a note written meanwhile by another participant is kept (the write is retried on it).
    public func addConferenceNote(caseID: String, conferenceID: String, text: String, actor: Actor, requestID: String) async throws(AmanaError) -> ConferenceView {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...8000).contains(text.utf8.count) else { throw .invalid("text", "Write the note in 1 to 8000 bytes.", pointer: "/text") }
        return try await run {
            for attempt in 1...3 {
                let (opened, record, content) = try await conference(caseID, conferenceID, for: "read", actor: actor, auditAction: "conference.note", requestID: requestID)
                guard record.participants.contains(actor.userID) else {
                    throw await refuse(.user(actor), "conference.note", "case:\(caseID)", requestID: requestID, as: .forbidden("Only the conference's participants write its notes."))
                }
                try requireOpen(opened.record)
                guard record.status != "cancelled" else { throw AmanaError(.conflict, code: "conference-cancelled", "This conference was cancelled; it takes no notes.") }
                var notes = try record.sealedRestricted.map { try unsealDocument([ConferenceNote].self, $0, key: opened.key, caseID: opened.record.id, as: Kernel.restrictedPurpose(record.id)) } ?? []
                notes.append(ConferenceNote(at: clock.now(), by: actor.userID.rawValue, text: text))
                var updated = record
                updated.sealedRestricted = try sealDocument(notes, key: opened.key, caseID: opened.record.id, as: Kernel.restrictedPurpose(record.id))
                do {
                    updated = try await updateActivity(
                        updated, content: content, key: opened.key,
                        audit: audit(actor.auditName, "conference.note", "case:\(caseID)", requestID: requestID, detail: "conference=\(record.id)"))
                } catch let error as AmanaError where error.code == "activity-changed" && attempt < 3 {
                    continue
                }
                return try await conferenceView(updated, opened, actor: actor)
            }
            throw AmanaError.notFound
        }
    }

    /// One conference of a case the actor may open for `action`, with its content.
    func conference(
        _ caseID: String, _ conferenceID: String, for action: String, actor: Actor, auditAction: String, requestID: String
    ) async throws -> (OpenedCase, CaseActivityRecord, ConferenceContent) {
        let opened = try await accessCase(caseID, for: action, actor: actor, auditAction: auditAction, requestID: requestID)
        guard let record = try await store.activities(caseID: opened.record.id).first(where: { $0.id == conferenceID && $0.kind == .conference }) else {
            throw await refuse(.user(actor), auditAction, "case:\(caseID)", requestID: requestID, as: .notFound)
        }
        let content = try await tracingTampering(actor, auditAction, caseID: caseID, requestID: requestID) { try self.content(ConferenceContent.self, of: record, key: opened.key) }
        return (opened, record, content)
    }

    func conferenceView(_ record: CaseActivityRecord, _ opened: OpenedCase, actor: Actor) async throws -> ConferenceView {
        let content = try content(ConferenceContent.self, of: record, key: opened.key)
        let notes = record.participants.contains(actor.userID)
            ? try record.sealedRestricted.map { try unsealDocument([ConferenceNote].self, $0, key: opened.key, caseID: record.caseID, as: Kernel.restrictedPurpose(record.id)) } ?? []
            : nil
        var people = Set(record.participants + [record.createdBy])
        if let recorder = content.outcome?.recordedBy { people.insert(UserID(recorder)) }
        for note in notes ?? [] { people.insert(UserID(note.by)) }
        let names = try await usernames(people)
        let policy = definitions.consentPolicy(forCaseType: opened.record.caseType)
        return ConferenceView(
            id: record.id, caseId: record.caseID.rawValue, status: record.status, version: record.version, scheduledFor: record.dueAt ?? record.createdAt,
            agenda: content.agenda, participants: record.participants.map { names[$0] ?? "" }, externalParticipants: content.externalParticipants,
            survivorInvited: content.survivorInvited, createdBy: names[record.createdBy] ?? "", createdAt: record.createdAt,
            outcome: content.outcome.map { o in
                ConferenceView.Outcome(
                    heldOn: o.heldOn, decisions: o.decisions, planChanges: o.planChanges, survivorAttended: o.survivorAttended, consentException: o.consentException,
                    consentExceptionLabel: o.consentException.flatMap { id in policy.map { exceptionLabel(id, of: $0, for: actor) } }, recordedBy: names[UserID(o.recordedBy)] ?? "",
                    recordedAt: o.recordedAt)
            },
            cancelReason: content.cancelReason,
            notes: notes?.map { ConferenceView.Note(at: $0.at, by: names[UserID($0.by)] ?? "", text: $0.text) })
    }

    /// What the held conferences of a case decided: when each was recorded and in which
    /// state of the case, and the consent exceptions they decided on (a conference that
    /// fails to open counts for nothing).
    func conferenceDecisions(_ activities: [CaseActivityRecord], key: any CaseKey) -> (held: [(state: String, at: Date)], consentExceptions: Set<String>) {
        var held: [(state: String, at: Date)] = [], exceptions: Set<String> = []
        for record in activities where record.kind == .conference && record.status == "held" {
            guard let outcome = (try? content(ConferenceContent.self, of: record, key: key))?.outcome else { continue }
            held.append((outcome.caseState, outcome.recordedAt))
            if let exception = outcome.consentException { exceptions.insert(exception) }
        }
        return (held, exceptions)
    }
}
