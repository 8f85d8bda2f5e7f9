import Foundation
import Testing

/// The service directory, referrals and case conferences through the binary, on the
/// demo install: amal's GBV case in follow-up (an adult who agreed to services,
/// referral and information sharing) and the demo's fictional service map.
@Suite("Coordination from the console")
struct CoordinationCLIEndToEndTests {
    @Test func aReferralIsShownBeforeItIsSentThenFollowedThrough() throws {
        let data = temporaryDataDirectory()
        let passwords = demoPasswords(try AmanaBinary.run(["init", "--data", data, "--demo"]).stdout)
        let amal = Console(data: data)
        #expect(try amal.login("amal", passwords["amal"] ?? "").status == 0)
        let number = try amal.demoCase(type: "gbv", state: "follow_up")

        let services = try amal.amana(["service", "list", "--type", "health", "--profile", "women", "--location", "dist_cedar"])
        #expect(services.status == 0 && services.stdout.contains("cedar-clinic-health"), "\(services.stdout)\(services.stderr)")

        // Without --yes: what would go, and nothing sent.
        let shown = try amal.amana(["referral", "send", number, "--service", "cedar-clinic-health", "--share", "core/registration/given_name"])
        #expect(shown.status == 1)
        #expect(shown.stdout.contains("Shares:") && shown.stdout.contains("First name:") && shown.stdout.contains("Nothing was sent. Add --yes"), "\(shown.stdout)")
        let sent = try amal.amana(
            ["referral", "send", number, "--service", "cedar-clinic-health", "--share", "core/registration/given_name", "--urgent", "--reason", "-", "--yes"],
            input: "Medical care within 72 hours.\n")
        #expect(sent.status == 0 && sent.stdout.contains("Sent referral"), "\(sent.stderr)")

        let listed = try amal.amana(["referral", "list", number, "--json"])
        let referrals = (try? JSONSerialization.jsonObject(with: Data(listed.stdout.utf8))) as? [[String: Any]] ?? []
        let id = try #require(referrals.first?["id"] as? String)
        #expect(referrals.first?["urgent"] as? Bool == true && referrals.first?["reason"] as? String == "Medical care within 72 hours.")
        #expect(try amal.amana(["referral", "status", number, id, "declined", "--expect-version", "1"]).status == 2)  // a decline says why
        let accepted = try amal.amana(["referral", "status", number, id, "accepted", "--expect-version", "1"])
        #expect(accepted.status == 0 && accepted.stdout.contains("now accepted"), "\(accepted.stderr)")
        let followed = try amal.amana(
            ["referral", "follow-up", number, id, "--expect-version", "2", "--satisfaction", "satisfied", "--received", "yes"], input: "Seen by the doctor.\n")
        #expect(followed.status == 0, "\(followed.stderr)")
        #expect(try amal.amana(["service", "show", "cedar-clinic-health"]).stdout.contains("1 rating(s), shown from 5"))

        // Only administrators maintain the directory.
        let csv = FileManager.default.temporaryDirectory.appendingPathComponent("services-\(UUID().uuidString).csv").path
        try "id,organisation,name,service_type,location,women\nx-1,X,Y,health,sub_palm,entry_point\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(try amal.amana(["service", "import", csv]).status == 5)
        let admin = Console(data: data)
        #expect(try admin.login("admin", passwords["admin"] ?? "").status == 0)
        let imported = try admin.amana(["service", "import", csv])
        #expect(imported.status == 0 && imported.stdout.contains("1 new"), "\(imported.stderr)")
    }

    @Test func aConferenceIsScheduledAndListedWithItsNotesForParticipants() throws {
        let data = temporaryDataDirectory()
        let passwords = demoPasswords(try AmanaBinary.run(["init", "--data", data, "--demo"]).stdout)
        let amal = Console(data: data)
        #expect(try amal.login("amal", passwords["amal"] ?? "").status == 0)
        let number = try amal.demoCase(type: "gbv", state: "implementation")
        let scheduled = try amal.amana(
            ["conference", "schedule", number, "--at", "2026-12-03T10:00:00Z", "--external", "Nurse, Cedar Community Clinic", "--agenda", "-"], input: "Safety at home.\n")
        #expect(scheduled.status == 0 && scheduled.stdout.contains("Scheduled conference"), "\(scheduled.stderr)")
        let id = try #require(scheduled.stdout.split(separator: " ").dropFirst(2).first.map(String.init))
        #expect(try amal.amana(["conference", "note", number, id], input: "She fears her brother-in-law.\n").status == 0)
        let recorded = try amal.amana(["conference", "record", number, id, "--expect-version", "2", "--plan-changes", "Add a safety plan review."], input: "Review the safety plan weekly.\n")
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let list = try amal.amana(["conference", "list", number])
        #expect(list.stdout.contains("Safety at home.") && list.stdout.contains("Review the safety plan weekly.") && list.stdout.contains("She fears her brother-in-law."))
    }
}
