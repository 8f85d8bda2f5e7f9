import AmanaCore
import Consent
import FormKit
import Foundation
import Identity
import Store
import Vault
import Workflow

/// What a withdrawal of consent does to referrals still waiting for the service's answer.
extension Kernel {
    /// Referrals of the case still waiting for an answer (sent, or chased without one) that the
    /// person's consent no longer lets go to their organisation (an agreement was just withdrawn):
    /// no one chases the service about the person any more (the follow-up timer stops), and the
    /// case owner is asked, in a task due the next day, to tell the service not to act on it.
    /// A referral sent under a supervisor's override (no agreement behind it) stays as it is.
    func stopReferralsConsentNoLongerAllows(caseID: CaseID, key: any CaseKey, actor: Actor, requestID: String) async throws {
        let waiting = try await store.activities(caseID: caseID).filter { $0.kind == .referral && ["sent", "no_answer"].contains($0.status) }
        guard !waiting.isEmpty, let record = try await store.caseRecord(id: caseID),
              let policy = definitions.consentPolicy(forCaseType: record.caseType) else { return }
        let situation = try await consentSituation(of: record, key: key, policy: policy)
        let evaluator = ConsentEvaluator(policy: policy)
        let engine = try workflow(of: record)
        let now = clock.now()
        for referral in waiting {
            let content = try self.content(ReferralContent.self, of: referral, key: key)
            guard !content.agreedBy.isEmpty,
                  !evaluator.answer(for: ConsentAct(.referral, recipient: content.organisation), in: situation).missing.isEmpty
            else { continue }
            let id = newID()
            let title = "Tell \(content.organisation) that the person withdrew their consent to this referral (\(content.serviceName), sent "
                + "\(Day(referral.createdAt).description)): they should not act on it or contact the person about it."
            var change = CaseChange(caseID: caseID, expectedVersion: nil, at: now)
            apply(engine.timerChanges(for: [.referralAnswered], at: now, riskLevel: record.riskLevel), to: &change, subject: referral.id)
            change.tasksAdded = [TaskRecord(
                id: id, caseID: caseID, assigneeID: record.ownerID, timerID: nil,
                sealedTitle: try sealText(title, key: key, caseID: caseID, as: "task:\(id)"), dueAt: now.addingTimeInterval(86_400), createdAt: now,
                subject: referral.id)]
            _ = try await applyCaseChange(
                change, audit: audit(actor.auditName, "referral.consent-withdrawn", "case:\(caseID.rawValue)", requestID: requestID, detail: "referral=\(referral.id) task=\(id)"))
        }
    }
}
