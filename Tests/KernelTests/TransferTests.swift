import AmanaCore
import Foundation
import AmanaTestSupport
import GRDB
import Identity
import Testing
import VaultSodium
@testable import Kernel

/// Transfers between installs by package, and between colleagues on one install.
@Suite("Transfers")
struct TransferTests {
    /// Hana's case at the sending install, held by amal; nadia at the receiving install.
    func twoInstalls() async throws -> (sender: KernelFixture, receiver: KernelFixture, caseID: String, amal: Actor, nadia: Actor) {
        let sender = try await KernelFixture(), receiver = try await KernelFixture()
        try await sender.addUser("amal", "case_worker")
        try await receiver.addUser("nadia", "case_worker")
        let id = try await sender.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example", phone: "0791234567")
        return (sender, receiver, id, try await sender.signIn("amal").actor, try await receiver.signIn("nadia").actor)
    }

    @Test func aPackageCarriesWhatWasConsentedToAndComesBackWithASignedReceipt() async throws {
        let (sender, receiver, id, amal, nadia) = try await twoInstalls()
        let made = try await sender.kernel.exportTransferPackage(
            caseID: id, recipientKey: receiver.kernel.installPublicKey.text, recipientName: "Partner across the border", reason: "She moved to the city.",
            actor: amal, requestID: "t")
        #expect(made.transfer.status == "exported" && made.transfer.forms == ["core/consent#1", "core/registration#1"])
        #expect(!String(decoding: made.package, as: UTF8.self).contains("Hana"))  // sealed: no name in the file
        let imported = try await receiver.kernel.importTransferPackage(
            made.package, expectedSender: sender.kernel.installPublicKey.fingerprint, actor: nadia, requestID: "t")
        #expect(imported.forms == ["core/consent#1", "core/registration#1"] && imported.skipped.isEmpty && imported.incomplete.isEmpty)
        // She does not re-tell her story: her registration is there, and found by her name.
        let registration = try await receiver.kernel.readSubmission(caseID: imported.caseId, formID: "core/registration", actor: nadia, requestID: "t")
        #expect(registration.values["given_name"] == "Hana")
        #expect(try await receiver.kernel.searchCases(value: "Hana", actor: nadia, requestID: "t").map(\.id) == [imported.caseId])
        let received = try #require(try await receiver.kernel.transfers(caseID: imported.caseId, actor: nadia, requestID: "t").first)
        #expect(received.mode == "imported" && received.senderFingerprint == sender.kernel.installPublicKey.fingerprint)
        // Consent came with the case: the receiving programme's policy sees it.
        #expect(try await receiver.kernel.consentRequirements(caseID: imported.caseId, act: "services", recipient: nil, actor: nadia, requestID: "t").allowed)

        let recorded = try await sender.kernel.recordTransferReceipt(caseID: id, receipt: Array(imported.receipt.utf8), actor: amal, requestID: "t")
        #expect(recorded.status == "received" && recorded.history.map(\.status) == ["exported", "received"])
        #expect(try await sender.kernel.caseDetail(id: id, actor: amal, requestID: "t").tasks.contains { $0.title.contains("close it as transferred") })
        let twice = await #expect(throws: AmanaError.self) {
            try await sender.kernel.recordTransferReceipt(caseID: id, receipt: Array(imported.receipt.utf8), actor: amal, requestID: "t")
        }
        #expect(twice?.code == "receipt-recorded")
    }

    @Test func aTamperedAMisaddressedAndAReplayedPackageAreEachRefused() async throws {
        let (sender, receiver, id, amal, nadia) = try await twoInstalls()
        let other = try await KernelFixture()
        let senderPrint = sender.kernel.installPublicKey.fingerprint
        let made = try await sender.kernel.exportTransferPackage(
            caseID: id, recipientKey: receiver.kernel.installPublicKey.text, recipientName: "Partner", reason: nil, actor: amal, requestID: "t")
        func refused(_ bytes: [UInt8], from expected: String = senderPrint) async -> String? {
            await #expect(throws: AmanaError.self) { try await receiver.kernel.importTransferPackage(bytes, expectedSender: expected, actor: nadia, requestID: "t") }?.code
        }
        // One changed character in the sealed content, or in the signed date.
        var text = String(decoding: made.package, as: UTF8.self)
        let sealedStart = try #require(text.range(of: "\"sealed\" : \"")).upperBound
        let flipped = text[sealedStart] == "A" ? "B" : "A"
        text.replaceSubrange(sealedStart...sealedStart, with: flipped)
        #expect(await refused(Array(text.utf8)) == "package-tampered")
        let redated = String(decoding: made.package, as: UTF8.self).replacingOccurrences(of: "\"created_at\" : \"2", with: "\"created_at\" : \"1")
        #expect(await refused(Array(redated.utf8)) == "package-tampered")
        #expect(await refused(Array("not a package".utf8)) == "package-unreadable")
        // Sent by someone else than the install named.
        #expect(await refused(made.package, from: other.kernel.installPublicKey.fingerprint) == "package-sender-unexpected")
        // Addressed to another install.
        let forOther = try await sender.kernel.exportTransferPackage(
            caseID: id, recipientKey: other.kernel.installPublicKey.text, recipientName: "Other", reason: nil, actor: amal, requestID: "t")
        #expect(await refused(forOther.package) == "package-not-for-this-install")
        // Nothing was imported by any of these.
        #expect(try await receiver.kernel.listCases(CaseFilter(), actor: nadia, requestID: "t").cases.isEmpty)
        // The genuine one, once; again is a replay.
        _ = try await receiver.kernel.importTransferPackage(made.package, expectedSender: senderPrint, actor: nadia, requestID: "t")
        #expect(await refused(made.package) == "package-replayed")
        #expect(try await receiver.kernel.listCases(CaseFilter(), actor: nadia, requestID: "t").cases.count == 1)
        #expect(try await receiver.auditEntries("transfer.import").map(\.draft.outcome).filter { $0 == .denied }.count == 6)
        // A receipt from an install the package was not sent to is refused.
        try await other.addUser("omar", "case_worker")
        let omar = try await other.signIn("omar").actor
        let wrongReceipt = try await other.kernel.importTransferPackage(forOther.package, expectedSender: senderPrint, actor: omar, requestID: "t")
        let mismatched = await #expect(throws: AmanaError.self) {
            try await sender.kernel.recordTransferReceipt(
                caseID: id, receipt: Array(wrongReceipt.receipt.replacingOccurrences(of: forOther.packageIDValue, with: made.packageIDValue).utf8), actor: amal, requestID: "t")
        }
        #expect(mismatched?.code == "receipt-invalid")
    }

    @Test func aPurgedCaseForgetsWhoSentItAndItsPackageStaysRefused() async throws {
        let (sender, receiver, id, amal, nadia) = try await twoInstalls()
        try await receiver.addUser("layla", "case_manager")
        let layla = try await receiver.signIn("layla").actor
        let made = try await sender.kernel.exportTransferPackage(
            caseID: id, recipientKey: receiver.kernel.installPublicKey.text, recipientName: "Partner", reason: nil, actor: amal, requestID: "t")
        let imported = try await receiver.kernel.importTransferPackage(
            made.package, expectedSender: sender.kernel.installPublicKey.fingerprint, actor: nadia, requestID: "t")
        let request = try await receiver.kernel.requestPurge(caseID: imported.caseId, reason: .erasureRequest, actor: nadia, requestID: "t")
        _ = try await receiver.kernel.decideApproval(caseID: imported.caseId, approvalID: request.id, approve: true, comment: nil, actor: layla, requestID: "t")
        let sql = "SELECT sender || '|' || imported_at FROM transfer_import WHERE case_id = '\(imported.caseId)'"
        let row = TestStore.onPostgres
            ? try InstallDatabase.query(sql + ";", on: try InstallDatabase.address(ofInstall: receiver.layout.directory))
            : try await DatabaseQueue(path: receiver.layout.database).read { db in try String.fetchOne(db, sql: sql) }
        #expect(row == "|0")
        // Sent again, it does not bring her case back.
        let again = await #expect(throws: AmanaError.self) {
            try await receiver.kernel.importTransferPackage(made.package, expectedSender: sender.kernel.installPublicKey.fingerprint, actor: nadia, requestID: "t")
        }
        #expect(again?.code == "package-replayed")
    }

    @Test func withoutConsentToShareNoPackageIsMade() async throws {
        let f = try await KernelFixture()
        let other = try await KernelFixture()
        let (id, yusuf) = try await f.childCase(perpetrator: false)
        let refused = await #expect(throws: AmanaError.self) {
            try await f.kernel.exportTransferPackage(
                caseID: id, recipientKey: other.kernel.installPublicKey.text, recipientName: "Partner", reason: nil, actor: yusuf, requestID: "t")
        }
        #expect(refused?.code == "consent-required" && refused?.fieldProblems.count == 2)
        #expect(try await f.kernel.transfers(caseID: id, actor: yusuf, requestID: "t").isEmpty)
        let badKey = await #expect(throws: AmanaError.self) {
            try await f.kernel.exportTransferPackage(caseID: id, recipientKey: "amana-install-v1:short", recipientName: "P", reason: nil, actor: yusuf, requestID: "t")
        }
        #expect(badKey?.pointer == "/recipient_key")
    }

    @Test func aColleagueTakesTheCaseOnlyWhenTheyAccept() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        try await f.addUser("sara", "case_worker")
        try await f.addUser("rania", "case_worker", agency: "PARTNER")
        let amal = try await f.signIn("amal").actor, sara = try await f.signIn("sara").actor, rania = try await f.signIn("rania").actor
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example")
        let proposed = try await f.kernel.proposeTransfer(caseID: id, to: "sara", reason: "Amal goes on leave.", actor: amal, requestID: "t")
        #expect(proposed.status == "proposed" && proposed.to == "sara")
        // Sara sees it waiting, but not the case until she accepts.
        #expect(try await f.kernel.incomingTransfers(actor: sara, requestID: "t").map(\.caseId) == [id])
        await #expect(throws: AmanaError.self) { try await f.kernel.caseDetail(id: id, actor: sara, requestID: "t") }
        let again = await #expect(throws: AmanaError.self) { try await f.kernel.proposeTransfer(caseID: id, to: "rania", reason: nil, actor: amal, requestID: "t") }
        #expect(again?.code == "transfer-pending")
        let noReason = await #expect(throws: AmanaError.self) {
            try await f.kernel.answerTransfer(caseID: id, transferID: proposed.id, accept: false, reason: nil, actor: sara, requestID: "t")
        }
        #expect(noReason?.code == "reason-required")
        let accepted = try await f.kernel.answerTransfer(caseID: id, transferID: proposed.id, accept: true, reason: nil, actor: sara, requestID: "t")
        #expect(accepted.status == "accepted")
        #expect(try await f.kernel.caseDetail(id: id, actor: sara, requestID: "t").summary.owner == "sara")
        // Amal keeps what her role's scope gives her: her own cases only.
        await #expect(throws: AmanaError.self) { try await f.kernel.caseDetail(id: id, actor: amal, requestID: "t") }
        // To another agency: the consent to share with it is asked; Hana agreed to information sharing. Rania declines, saying why.
        let toPartner = try await f.kernel.proposeTransfer(caseID: id, to: "rania", reason: nil, actor: sara, requestID: "t")
        let declined = try await f.kernel.answerTransfer(caseID: id, transferID: toPartner.id, accept: false, reason: "We have no female case worker now.", actor: rania, requestID: "t")
        #expect(declined.status == "declined" && declined.history.last?.reason == "We have no female case worker now.")
        #expect(try await f.kernel.caseDetail(id: id, actor: sara, requestID: "t").summary.owner == "sara")
    }
}

extension TransferTests {
    @Test func aTeamTakesTheCaseWhenOneOfItsCaseWorkersAccepts() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        try await f.addUser("omar", "case_worker", team: "CP team")
        try await f.addUser("lina", "case_worker", team: "CP team")
        // A specialist of the team reads only cases invited into: she could not open a case she took.
        try await f.addUser("nadia", "specialist", team: "CP team")
        let amal = try await f.signIn("amal").actor, omar = try await f.signIn("omar").actor, lina = try await f.signIn("lina").actor
        let nadia = try await f.signIn("nadia").actor
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example")
        let proposed = try await f.kernel.proposeTransfer(caseID: id, to: nil, team: "CP team", reason: "She is 17: the CP team takes it.", actor: amal, requestID: "t")
        #expect(proposed.toTeam == "CP team" && proposed.to == nil)
        #expect(try await f.kernel.incomingTransfers(actor: nadia, requestID: "t").isEmpty)
        let toSpecialist = await #expect(throws: AmanaError.self) {
            try await f.kernel.proposeTransfer(caseID: id, to: "nadia", team: nil, reason: nil, actor: amal, requestID: "t")
        }
        #expect(toSpecialist?.pointer == "/to")
        #expect(try await f.kernel.incomingTransfers(actor: omar, requestID: "t").map(\.id) == [proposed.id])
        #expect(try await f.kernel.incomingTransfers(actor: lina, requestID: "t").map(\.id) == [proposed.id])
        _ = try await f.kernel.answerTransfer(caseID: id, transferID: proposed.id, accept: true, reason: nil, actor: lina, requestID: "t")
        let detail = try await f.kernel.caseDetail(id: id, actor: lina, requestID: "t")
        #expect(detail.summary.owner == "lina" && detail.team == "CP team")
        #expect(try await f.kernel.incomingTransfers(actor: omar, requestID: "t").isEmpty)
        let nobody = await #expect(throws: AmanaError.self) {
            try await f.kernel.proposeTransfer(caseID: id, to: nil, team: "No such team", reason: nil, actor: lina, requestID: "t")
        }
        #expect(nobody?.pointer == "/team")
    }
}

extension TransferTests {
    @Test func closingACaseWithdrawsAHandoverWaitingForAnAnswer() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        try await f.addUser("sara", "case_worker")
        try await f.addUser("huda", "case_manager")
        let amal = try await f.signIn("amal").actor, sara = try await f.signIn("sara").actor, huda = try await f.signIn("huda").actor
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example")
        let proposed = try await f.kernel.proposeTransfer(caseID: id, to: "sara", reason: nil, actor: amal, requestID: "t")
        var closure = DemoAnswers.closure(day: f.day)
        closure["closure_reason"] = "client_request"
        let version = try await f.kernel.submitForm(caseID: id, formID: "core/closure", values: closure, expectVersion: nil, actor: amal, requestID: "t").caseVersion
        let approval = try await f.kernel.requestApproval(caseID: id, transition: "close_early", actor: amal, requestID: "t")
        _ = try await f.kernel.decideApproval(caseID: id, approvalID: approval.id, approve: true, comment: nil, actor: huda, requestID: "t")
        _ = try await f.kernel.performTransition(caseID: id, transition: "close_early", expectVersion: version, actor: amal, requestID: "t")
        #expect(try await f.kernel.incomingTransfers(actor: sara, requestID: "t").isEmpty)
        let withdrawn = try #require(try await f.kernel.transfers(caseID: id, actor: amal, requestID: "t").first { $0.id == proposed.id })
        #expect(withdrawn.status == "withdrawn" && withdrawn.history.last?.reason == "The case was closed.")
    }
}

extension TransferTests {
    @Test func anotherAgencyTakesTheCaseOnlyIfTheConsentStillHoldsWhenItAccepts() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        try await f.addUser("rania", "case_worker", agency: "PARTNER")
        let amal = try await f.signIn("amal").actor, rania = try await f.signIn("rania").actor
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example")
        let proposed = try await f.kernel.proposeTransfer(caseID: id, to: "rania", reason: "She moved to the partner's area.", actor: amal, requestID: "t")
        // While it waits, Hana's agreement is corrected: she never agreed to information sharing. The partner cannot take her case.
        _ = try await f.kernel.submitForm(
            caseID: id, formID: "core/consent", entry: 1, values: DemoAnswers.consent(day: f.day, scopes: ["services", "referral"]), expectVersion: 1,
            actor: amal, requestID: "t")
        let refused = await #expect(throws: AmanaError.self) {
            try await f.kernel.answerTransfer(caseID: id, transferID: proposed.id, accept: true, reason: nil, actor: rania, requestID: "t")
        }
        #expect(refused?.kind == .conflict && refused?.code == "consent-required" && refused?.fieldProblems.isEmpty == false)
        #expect(try await f.auditEntries("transfer.accept").last?.draft.outcome == .denied)
        #expect(try await f.kernel.caseDetail(id: id, actor: amal, requestID: "t").summary.owner == "amal")
        await #expect(throws: AmanaError.self) { try await f.kernel.caseDetail(id: id, actor: rania, requestID: "t") }
        // It still waits, no longer shown to the partner: the sender withdraws it (or asks Hana again).
        #expect(try await f.kernel.incomingTransfers(actor: rania, requestID: "t").isEmpty)
        #expect(try await f.kernel.transfers(caseID: id, actor: amal, requestID: "t").first { $0.id == proposed.id }?.status == "proposed")
        #expect(try await f.kernel.answerTransfer(caseID: id, transferID: proposed.id, accept: false, reason: nil, actor: amal, requestID: "t").status == "withdrawn")
    }

    @Test func withdrawingTheConsentToShareWithdrawsTheTransfersWaitingOnIt() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        try await f.addUser("sara", "case_worker")
        try await f.addUser("rania", "case_worker", agency: "PARTNER")
        let amal = try await f.signIn("amal").actor, rania = try await f.signIn("rania").actor
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example")
        let toPartner = try await f.kernel.proposeTransfer(caseID: id, to: "rania", reason: nil, actor: amal, requestID: "t")
        _ = try await f.kernel.withdrawConsent(caseID: id, entry: 1, scopes: ["information_sharing"], note: nil, actor: amal, requestID: "t")
        let withdrawn = try #require(try await f.kernel.transfers(caseID: id, actor: amal, requestID: "t").first { $0.id == toPartner.id })
        #expect(withdrawn.status == "withdrawn" && withdrawn.history.last?.reason == "The person withdrew their consent to share information with Partner.")
        #expect(try await f.auditEntries("transfer.decline").last?.draft.detail == "transfer=\(toPartner.id) consent")
        #expect(try await f.kernel.incomingTransfers(actor: rania, requestID: "t").isEmpty)
        // Within the agency no consent to share is asked: a handover to a colleague stays.
        let toColleague = try await f.kernel.proposeTransfer(caseID: id, to: "sara", reason: nil, actor: amal, requestID: "t")
        _ = try await f.kernel.withdrawConsent(caseID: id, entry: 1, scopes: ["referral"], note: nil, actor: amal, requestID: "t")
        #expect(try await f.kernel.transfers(caseID: id, actor: amal, requestID: "t").first { $0.id == toColleague.id }?.status == "proposed")
    }

    @Test func aTransferProposedUnderAnOverrideIsAcceptedUnderIt() async throws {
        let f = try await KernelFixture()
        let (id, yusuf) = try await f.childCase(perpetrator: false)
        try await f.addUser("huda", "case_manager")
        try await f.addUser("rania", "case_worker", agency: "PARTNER")
        let huda = try await f.signIn("huda").actor, rania = try await f.signIn("rania").actor
        // Sami's family never agreed to sharing; the supervisor decides the partner must take him tonight.
        await #expect(throws: AmanaError.self) { try await f.kernel.proposeTransfer(caseID: id, to: "rania", reason: nil, actor: yusuf, requestID: "t") }
        let override = try await f.kernel.overrideConsent(
            caseID: id, override: "life_threatening", act: "information_sharing", reason: "Only the partner has a shelter place for a boy tonight.", actor: huda, requestID: "t")
        let proposed = try await f.kernel.proposeTransfer(caseID: id, to: "rania", reason: nil, actor: yusuf, requestID: "t")
        #expect(try await f.auditEntries("transfer.propose").last?.draft.detail.hasSuffix("override=\(override.id)") == true)
        // The override was used by the proposal and decided for this transfer: its acceptance goes through.
        let accepted = try await f.kernel.answerTransfer(caseID: id, transferID: proposed.id, accept: true, reason: nil, actor: rania, requestID: "t")
        #expect(accepted.status == "accepted")
        #expect(try await f.kernel.caseDetail(id: id, actor: rania, requestID: "t").summary.owner == "rania")
    }
}

extension TransferTests {
    /// The receiving organisation asks one more question at registration (an overlay of its own).
    static let receiverOverlay = [
        "partner-intake/plugin.yaml": """
            id: partner-intake
            version: 1.0.0
            kernel: ">=1.0"
            title: {en: The partner's intake questions, ar: أسئلة الاستقبال لدى الشريك}
            uses: [core/registration]
            overlays: [overlays/*.yaml]
            """,
        "partner-intake/overlays/registration.yaml": """
            overlay: core/registration
            version: 1
            add:
              - section:
                  id: partner_intake
                  title: {en: Intake, ar: الاستقبال}
                  fields:
                    - {id: partner_referred_by, type: text, required: true, label: {en: Referred by, ar: الجهة المحيلة}}
            """,
    ]

    @Test func aFormThisInstallFindsIncompleteIsImportedAsSentAndNamed() async throws {
        let sender = try await KernelFixture(), receiver = try await KernelFixture(installPlugins: Self.receiverOverlay)
        #expect(receiver.kernel.definitions.errors.isEmpty, "\(receiver.kernel.definitions.errors)")
        try await sender.addUser("amal", "case_worker")
        try await receiver.addUser("nadia", "case_worker")
        let amal = try await sender.signIn("amal").actor, nadia = try await receiver.signIn("nadia").actor
        let id = try await sender.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example")
        let made = try await sender.kernel.exportTransferPackage(
            caseID: id, recipientKey: receiver.kernel.installPublicKey.text, recipientName: "Partner", reason: nil, actor: amal, requestID: "t")
        let imported = try await receiver.kernel.importTransferPackage(
            made.package, expectedSender: sender.kernel.installPublicKey.fingerprint, actor: nadia, requestID: "t")
        // Nothing is lost for a question the sender never asked: the registration is kept as sent, and named to complete.
        #expect(imported.forms == ["core/consent#1", "core/registration#1"] && imported.incomplete == ["core/registration#1"])
        let registration = try await receiver.kernel.readSubmission(caseID: imported.caseId, formID: "core/registration", actor: nadia, requestID: "t")
        #expect(registration.values["given_name"] == "Hana" && registration.values["partner_referred_by"] == nil)
        #expect(try await receiver.auditEntries("transfer.import").last?.draft.detail.hasSuffix("forms=2 skipped=0 incomplete=1") == true)
    }
}

extension TransferExport {
    /// The package id, read from the file.
    var packageIDValue: String {
        ((try? JSONSerialization.jsonObject(with: Data(package))) as? [String: Any])?["package_id"] as? String ?? ""
    }
}
