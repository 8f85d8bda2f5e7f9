import AmanaCore
import Foundation
import Identity
import Testing
@testable import Kernel

/// Individual supervision of staff, apart from cases, its notes sealed.
@Suite("Supervision meetings")
struct SupervisionTests {
    @Test func aSupervisorRecordsAMeetingThatSheAndTheStaffMemberReadAndNoOneElse() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        try await f.addUser("layla", "case_manager")
        try await f.addUser("yusuf", "case_worker", team: "CP team")
        try await f.addUser("huda", "case_manager", team: "CP team")
        let amal = try await f.signIn("amal").actor, layla = try await f.signIn("layla").actor
        let yusuf = try await f.signIn("yusuf").actor, huda = try await f.signIn("huda").actor
        let notes = SupervisionNotes(
            discussed: "Her three open cases; the adolescent's safety plan.", wellbeing: "Tired after the night accompaniment; wants a day off.",
            support: "Day off on Thursday; training on child safeguarding.", nextMeeting: "In two weeks")
        let session = try await f.kernel.recordSupervision(staff: "amal", heldOn: f.day, notes: notes, actor: layla, requestID: "t")
        #expect(session.staff == "amal" && session.supervisor == "layla")

        #expect(try await f.kernel.supervisionSessions(actor: layla, requestID: "t").map(\.notes) == [notes])
        #expect(try await f.kernel.supervisionSessions(actor: amal, requestID: "t").map(\.id) == [session.id])
        // Another team's supervisor and case worker see none of it.
        #expect(try await f.kernel.supervisionSessions(actor: huda, requestID: "t").isEmpty)
        #expect(try await f.kernel.supervisionSessions(actor: yusuf, requestID: "t").isEmpty)
        // Another case manager of the team supervises amal too, but not layla, her peer.
        try await f.addUser("rima", "case_manager")
        let rima = try await f.signIn("rima").actor
        let peer = await #expect(throws: AmanaError.self) { try await f.kernel.recordSupervision(staff: "layla", heldOn: f.day, notes: notes, actor: rima, requestID: "t") }
        #expect(peer?.pointer == "/staff")
        // The team lead supervises the case managers, and reads what they record of those they supervise.
        try await f.addUser("salma", "team_lead")
        let salma = try await f.signIn("salma").actor
        let lead = try await f.kernel.recordSupervision(staff: "layla", heldOn: f.day, notes: notes, actor: salma, requestID: "t")
        #expect(Set(try await f.kernel.supervisionSessions(actor: salma, requestID: "t").map(\.id)) == [session.id, lead.id])
        #expect(try await f.kernel.supervisionSessions(actor: layla, requestID: "t").map(\.id).contains(lead.id))
        #expect(try await f.kernel.supervisionSessions(actor: rima, requestID: "t").map(\.id) == [session.id], "not the meeting about layla, her peer")
        let upwards = await #expect(throws: AmanaError.self) { try await f.kernel.recordSupervision(staff: "salma", heldOn: f.day, notes: notes, actor: layla, requestID: "t") }
        #expect(upwards?.pointer == "/staff")
        // Only for the people one supervises, only by a supervisor, never in the future, always with what was discussed.
        let otherTeam = await #expect(throws: AmanaError.self) { try await f.kernel.recordSupervision(staff: "yusuf", heldOn: f.day, notes: notes, actor: layla, requestID: "t") }
        #expect(otherTeam?.pointer == "/staff")
        let byWorker = await #expect(throws: AmanaError.self) { try await f.kernel.recordSupervision(staff: "layla", heldOn: f.day, notes: notes, actor: amal, requestID: "t") }
        #expect(byWorker?.kind == .forbidden)
        let later = await #expect(throws: AmanaError.self) {
            try await f.kernel.recordSupervision(staff: "amal", heldOn: "2099-01-01", notes: notes, actor: layla, requestID: "t")
        }
        #expect(later?.pointer == "/held_on")
        let empty = await #expect(throws: AmanaError.self) {
            try await f.kernel.recordSupervision(staff: "amal", heldOn: f.day, notes: SupervisionNotes(discussed: " "), actor: layla, requestID: "t")
        }
        #expect(empty?.pointer == "/notes/discussed")
        // The notes are sealed in the file, and the audit entry names no content.
        let sealed = try await f.kernel.store.supervisions(agencyID: layla.agencyID).first?.sealedNotes ?? []
        #expect(!String(decoding: sealed, as: UTF8.self).contains("night accompaniment"))
        #expect(try await f.auditEntries("supervision.record").first?.draft.detail == "staff=user:\(amal.userID.rawValue)")
    }
}
