import AmanaCore
import AmanaTestSupport
import Foundation
import GRDB
import Testing
@testable import Kernel

@Suite("Attachments: sealed, size-limited, kind recognised from the bytes")
struct AttachmentTests {
    static let pdf = Array("%PDF-1.7\n% Medical report for Marker-Qx8841\n%%EOF\n".utf8)
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]

    @Test(.enabled(if: !TestStore.onPostgres, "reads or changes the SQLite file itself")) func anAttachmentIsKeptSealedAndReadBackByThoseWhoMayReadTheCase() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        try await f.addUser("layla", "case_manager")
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Attach", familyName: "Case")
        let amal = try await f.signIn("amal").actor
        let before = try await f.kernel.caseDetail(id: id, actor: amal, requestID: "t").summary.version

        let view = try await f.kernel.addAttachment(
            caseID: id, name: "../../hospital/Marker-Qx8841-report.pdf", declaredType: "application/pdf", content: Self.pdf, actor: amal, requestID: "t")
        #expect(view.name == "Marker-Qx8841-report.pdf")  // no folders
        #expect(view.contentType == "application/pdf")
        #expect(view.bytes == Self.pdf.count)
        let detail = try await f.kernel.caseDetail(id: id, actor: amal, requestID: "t")
        #expect(detail.attachments == [view])
        #expect(detail.summary.version == before + 1)

        // The supervisor reads it; the read is audited.
        let layla = try await f.signIn("layla").actor
        let (read, content) = try await f.kernel.readAttachment(caseID: id, attachmentID: view.id, actor: layla, requestID: "t")
        #expect(content == Self.pdf)
        #expect(read.by == "amal")
        #expect(try await f.auditEntries("attachment.read").count == 1)

        // Neither the name nor the content is on disk in plain text.
        var bytes = [UInt8]()
        for suffix in ["", "-wal"] {
            if let data = FileManager.default.contents(atPath: f.layout.database + suffix) { bytes += data }
        }
        #expect(!bytes.contains(subsequence: Array("Marker-Qx8841".utf8)))
    }

    @Test func someoneOutsideTheCaseFindsNothing() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        try await f.addUser("hiba", "case_worker")
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Private", familyName: "Case")
        let amal = try await f.signIn("amal").actor
        let view = try await f.kernel.addAttachment(caseID: id, name: "a.pdf", declaredType: nil, content: Self.pdf, actor: amal, requestID: "t")
        let hiba = try await f.signIn("hiba").actor
        let read = await #expect(throws: AmanaError.self) { try await f.kernel.readAttachment(caseID: id, attachmentID: view.id, actor: hiba, requestID: "t") }
        #expect(read?.kind == .notFound)
        let add = await #expect(throws: AmanaError.self) { try await f.kernel.addAttachment(caseID: id, name: "b.pdf", declaredType: nil, content: Self.pdf, actor: hiba, requestID: "t") }
        #expect(add?.kind == .notFound)
        #expect(try await f.auditEntries("attachment.read").filter { $0.draft.outcome == .denied }.count == 1)
    }

    @Test(arguments: [
        (Array("<html><script>alert(1)</script></html>".utf8), "text/html", "attachment-type-mismatch"),  // text, but declared as HTML
        ([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00], nil, "attachment-type-refused"),  // a zip (Office documents are zips)
        ([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01], nil, "attachment-type-refused"),  // an executable
        (AttachmentTests.pdf, "image/png", "attachment-type-mismatch"),  // a PDF sent as an image
        ([], nil, "attachment-empty"),
    ] as [([UInt8], String?, String)])
    func filesOfAnotherKindAreRefusedAndNothingIsKept(file: [UInt8], declared: String?, code: String) async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Kinds", familyName: "Case")
        let amal = try await f.signIn("amal").actor
        let error = await #expect(throws: AmanaError.self) {
            try await f.kernel.addAttachment(caseID: id, name: "file", declaredType: declared, content: file, actor: amal, requestID: "t")
        }
        #expect(error?.code == code)
        #expect(try await f.kernel.attachments(caseID: id, actor: amal, requestID: "t").isEmpty)
    }

    @Test func anAttachmentAnswerNamesAFileOnTheCaseOfAKindTheFieldTakes() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        let id = try await f.kernel.openCase(type: "gbv", actor: amal, requestID: "t").summary.id
        let other = try await f.kernel.openCase(type: "gbv", actor: amal, requestID: "t").summary.id
        let text = try await f.kernel.addAttachment(caseID: id, name: "note.txt", declaredType: nil, content: Array("typed note".utf8), actor: amal, requestID: "t")
        let elsewhere = try await f.kernel.addAttachment(caseID: other, name: "scan.pdf", declaredType: nil, content: Self.pdf, actor: amal, requestID: "t")
        let scan = try await f.kernel.addAttachment(caseID: id, name: "scan.pdf", declaredType: nil, content: Self.pdf, actor: amal, requestID: "t")
        func consent(_ file: String) -> [String: JSONValue] {
            var answers = DemoAnswers.consent(day: f.day)
            answers["signed_form"] = .string(file)
            return answers
        }
        for (file, code) in [("no-such-file", "attachment-unknown"), (elsewhere.id, "attachment-unknown"), (text.id, "attachment-not-accepted")] {
            let error = await #expect(throws: AmanaError.self) {
                try await f.kernel.submitForm(caseID: id, formID: "core/consent", values: consent(file), expectVersion: nil, actor: amal, requestID: "t")
            }
            #expect(error?.fieldProblems.map(\.path) == ["/signed_form"])
            #expect(error?.fieldProblems.map(\.code) == [code])
        }
        let saved = try await f.kernel.submitForm(caseID: id, formID: "core/consent", values: consent(scan.id), expectVersion: nil, actor: amal, requestID: "t")
        #expect(saved.values["signed_form"] == .string(scan.id))
    }

    @Test func kindsAreRecognisedFromTheirFirstBytes() {
        #expect(AttachmentType.sniff(Self.pdf) == "application/pdf")
        #expect(AttachmentType.sniff(Self.png) == "image/png")
        #expect(AttachmentType.sniff([0xFF, 0xD8, 0xFF, 0xE0]) == "image/jpeg")
        #expect(AttachmentType.sniff(Array("ملاحظة\nsecond line\t\r\n".utf8)) == "text/plain")
        #expect(AttachmentType.sniff([0x68, 0x69, 0x00]) == nil)  // NUL: not text
        #expect(AttachmentType.sniff([0xC3, 0x28]) == nil)  // not UTF-8
    }

    @Test func aFileOverTheInstallsLimitIsRefused() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Big", familyName: "File")
        try TestStore.writeConfig("attachments:\n  max_bytes: 2048\n", to: f.layout.config)
        let kernel = try Kernel.open(f.layout, shippedDirectory: KernelFixture.repositoryRoot, clock: f.clock, fastPasswordHashing: true)
        let amal = try await kernel.signIn(username: "amal", password: KernelFixture.password, requestID: "t").actor
        let big = Array("%PDF-".utf8) + [UInt8](repeating: 0x20, count: 2048)
        let error = await #expect(throws: AmanaError.self) { try await kernel.addAttachment(caseID: id, name: "big.pdf", declaredType: nil, content: big, actor: amal, requestID: "t") }
        #expect(error?.kind == .tooLarge)
        #expect(try await kernel.addAttachment(caseID: id, name: "small.pdf", declaredType: nil, content: Array(big.prefix(2048)), actor: amal, requestID: "t").bytes == 2048)
    }

    @Test func aClosedCaseTakesNoAttachment() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        let id = try await f.kernel.openCase(type: "gbv", actor: amal, requestID: "t").summary.id
        try await f.tamper("UPDATE case_file SET closed_at = 1 WHERE id = ?", [id])
        let error = await #expect(throws: AmanaError.self) { try await f.kernel.addAttachment(caseID: id, name: "a.pdf", declaredType: nil, content: Self.pdf, actor: amal, requestID: "t") }
        #expect(error?.code == "case-closed")
    }

    @Test func contentSwappedBetweenAttachmentsDoesNotOpen() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Swap", familyName: "Case")
        let amal = try await f.signIn("amal").actor
        let first = try await f.kernel.addAttachment(caseID: id, name: "a.pdf", declaredType: nil, content: Self.pdf, actor: amal, requestID: "t")
        let second = try await f.kernel.addAttachment(caseID: id, name: "b.png", declaredType: nil, content: Self.png, actor: amal, requestID: "t")
        try await f.tamper("UPDATE case_attachment SET content = (SELECT content FROM case_attachment WHERE id = ?) WHERE id = ?", [first.id, second.id])
        let error = await #expect(throws: AmanaError.self) { try await f.kernel.readAttachment(caseID: id, attachmentID: second.id, actor: amal, requestID: "t") }
        #expect(error?.code == "decryption-refused")
        #expect(try await f.auditEntries("attachment.read").contains { $0.draft.outcome == .failed })
        #expect(try await f.kernel.readAttachment(caseID: id, attachmentID: first.id, actor: amal, requestID: "t").1 == Self.pdf)
    }
}

/// Files given as answers in a form some roles may not read stay out of their sight.
@Suite("Attachments under need-to-know")
struct AttachmentNeedToKnowTests {
    /// An organisation adds a photo to the GBV incident form, which an invited specialist may not read.
    static let plugins = [
        "acme-evidence/plugin.yaml": """
            id: acme-evidence
            version: 1.0.0
            kernel: ">=1.0"
            title: {en: ACME's evidence questions, ar: أسئلة الأدلة لدى ACME}
            uses: [gbv/incident]
            overlays: [overlays/*.yaml]
            """,
        "acme-evidence/overlays/incident.yaml": """
            overlay: gbv/incident
            version: 1
            add:
              - section:
                  id: acme_evidence
                  title: {en: Evidence, ar: الأدلة}
                  fields:
                    - {id: incident_photo, type: attachment, accept: [image/png, image/jpeg], sensitivity: sensitive, label: {en: Photo, ar: صورة}}
            """,
    ]

    @Test func aPhotoInTheIncidentFormIsNotFoundForAnInvitedSpecialist() async throws {
        let f = try await KernelFixture(installPlugins: Self.plugins)
        #expect(f.kernel.definitions.errors.isEmpty, "\(f.kernel.definitions.errors)")
        try await f.addUser("amal", "case_worker")
        try await f.addUser("layla", "case_manager")
        try await f.addUser("nadia", "specialist", team: nil)
        let amal = try await f.signIn("amal").actor, layla = try await f.signIn("layla").actor, nadia = try await f.signIn("nadia").actor
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example")
        let photo = try await f.kernel.addAttachment(caseID: id, name: "injury.png", declaredType: nil, content: AttachmentTests.png, actor: amal, requestID: "t")
        let letter = try await f.kernel.addAttachment(caseID: id, name: "letter.pdf", declaredType: nil, content: AttachmentTests.pdf, actor: amal, requestID: "t")
        var incident = DemoAnswers.incident(day: f.day)
        incident["incident_photo"] = .string(photo.id)
        _ = try await f.kernel.submitForm(caseID: id, formID: "gbv/incident", values: incident, expectVersion: nil, actor: amal, requestID: "t")
        _ = try await f.kernel.addMember(caseID: id, username: "nadia", actor: layla, requestID: "t")

        // The owner sees both files; the specialist only the one no unreadable form holds.
        #expect(Set(try await f.kernel.attachments(caseID: id, actor: amal, requestID: "t").map(\.id)) == [photo.id, letter.id])
        #expect(try await f.kernel.attachments(caseID: id, actor: nadia, requestID: "t").map(\.id) == [letter.id])
        #expect(try await f.kernel.caseDetail(id: id, actor: nadia, requestID: "t").attachments.map(\.id) == [letter.id])
        await #expect(throws: AmanaError.notFound) { try await f.kernel.readAttachment(caseID: id, attachmentID: photo.id, actor: nadia, requestID: "t") }
        #expect(try await f.kernel.readAttachment(caseID: id, attachmentID: letter.id, actor: nadia, requestID: "t").1 == AttachmentTests.pdf)
        #expect(try await f.auditEntries("attachment.read").contains { $0.draft.outcome == .denied && $0.draft.actor == nadia.auditName })
    }
}
