import AmanaCore
import Foundation
import Kernel
import Testing

/// Kathya's case from the Costa Rica SGBV workshop, end to end through the binary:
/// a safety plan and a case plan, referrals to two services each with its own
/// consent, a case conference that changes the plan, and a transfer to another
/// country's install by package — where her story is already there, so she never
/// has to tell it again. Two installs, each with its own keys.
@Suite("Kathya's case, across two installs")
struct KathyaEndToEndTests {
    func submit(_ console: Console, _ number: String, _ form: String, _ answers: [String: JSONValue], expectVersion: Int? = nil) throws {
        let data = JSONValue.object(answers).encoded()
        let result = try console.amana(
            ["case", "submit", number, form] + (expectVersion.map { ["--expect-version", String($0)] } ?? []), input: String(decoding: data, as: UTF8.self))
        #expect(result.status == 0, "\(form): \(result.stderr)")
    }

    func referralConsent(_ organisation: String, _ service: String) -> [String: JSONValue] {
        [
            "service_type": .string(service), "organisation": .string(organisation), "urgent": false, "options_discussed": true, "referral_method": "accompanied",
            "survivor_agrees": true, "information_to_share": ["name_contact", "age_sex"], "given_by": "survivor", "method": "verbal_with_witness",
            "witness_name": "Second caseworker", "consent_date": .string(today),
        ]
    }

    func casePlan(_ actions: [(String, String)], revision: String? = nil) -> [String: JSONValue] {
        var plan = DemoAnswers.casePlan(day: today)
        plan["overall_objective"] = "Kathya is safe and gets health care and legal advice."
        plan["goals"] = [.object([
            "goal": "Health and legal help.", "need_addressed": "health",
            "actions": .array(actions.map { .object(["action": .string($0.0), "responsible": "caseworker", "due_date": .string(today), "status": .string($0.1)]) }),
        ])]
        if let revision { plan["is_revision"] = true; plan["revision_reason"] = .string(revision) }
        return plan
    }

    @Test func kathyaIsReferredConferencedAndTransferredWithoutRetellingHerStory() throws {
        // Two installs: here, and the partner organisation across the border.
        let here = temporaryDataDirectory(), there = temporaryDataDirectory()
        let herePasswords = demoPasswords(try AmanaBinary.run(["init", "--data", here, "--demo"]).stdout)
        let therePasswords = demoPasswords(try AmanaBinary.run(["init", "--data", there, "--demo"]).stdout)
        let amal = Console(data: here), huda = Console(data: there)
        #expect(try amal.login("amal", herePasswords["amal"] ?? "").status == 0)
        #expect(try huda.login("amal", therePasswords["amal"] ?? "").status == 0)

        // Registration with consent to services.
        let opened = try amal.json(["case", "open", "gbv"])
        let number = try #require((opened["summary"] as? [String: Any])?["case_number"] as? String)
        try submit(amal, number, "core/consent", DemoAnswers.consent(day: today, scopes: ["services"]))
        try submit(amal, number, "core/registration", DemoAnswers.registration(day: today, givenName: "Kathya", familyName: "Example", age: 27))

        // Safety planning with her: what she does, the unsafe places and people, safe people.
        try submit(amal, number, "core/safety-plan", [
            "plan_date": .string(today), "current_strategies": "She stays with a friend when her ex-partner is in town.",
            "unsafe_situations": [["situation": "The bus stop near her ex-partner's work.", "strategy": "Take the other line."]],
            "written_copy_safe": false, "review_date": .string(today),
        ])
        // The case plan: its action is a task in her case worker's work.
        try submit(amal, number, "core/case-plan", casePlan([("Accompany her to the clinic.", "not_started")]))
        #expect(try amal.amana(["task", "list"]).stdout.contains("Plan: Accompany her to the clinic."))

        // Two referrals, each with its own consent; without it, nothing goes.
        let refused = try amal.amana(["referral", "send", number, "--service", "cedar-clinic-health", "--share", "core/registration/given_name", "--yes"])
        #expect(refused.status == 4 && refused.stderr.contains("consent"), "\(refused.stderr)")
        try submit(amal, number, "gbv/referral-consent", referralConsent("Cedar Community Clinic (demo)", "health"))
        try submit(amal, number, "gbv/referral-consent", referralConsent("Amber Legal Aid Network (demo)", "legal"))
        for service in ["cedar-clinic-health", "amber-legal-aid"] {
            let sent = try amal.amana(["referral", "send", number, "--service", service, "--share", "core/registration/given_name", "--yes"])
            #expect(sent.status == 0, "\(service): \(sent.stderr)")
        }

        // A case conference with the service providers changes the plan.
        let scheduled = try amal.amana(
            ["conference", "schedule", number, "--at", "2026-12-03T10:00:00Z", "--external", "Doctor, Cedar Community Clinic", "--external", "Lawyer, Amber Legal Aid",
             "--survivor-invited", "--agenda", "-"], input: "Unmet needs: a safe place to live; asylum claim.\n")
        let conference = try #require(scheduled.stdout.split(separator: " ").dropFirst(2).first.map(String.init))
        let recorded = try amal.amana(
            ["conference", "record", number, conference, "--expect-version", "1", "--survivor-attended", "--plan-changes", "Add the asylum interview preparation."],
            input: "She moves to her sister's city across the border; the case is transferred there.\n")
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let planVersion = try #require((try amal.json(["case", "show", number, "--form", "core/case-plan"]))["version"] as? Int)
        try submit(
            amal, number, "core/case-plan",
            casePlan([("Accompany her to the clinic.", "done"), ("Prepare the asylum interview with the lawyer.", "not_started")], revision: "Case conference decision."),
            expectVersion: planVersion)
        #expect(try amal.amana(["task", "list"]).stdout.contains("Plan: Prepare the asylum interview with the lawyer."))

        // The transfer: the other install's key, her consent to share with that organisation, a package.
        let key = try huda.amana(["keys", "show-public"]).stdout
        let publicKey = try #require(key.split(separator: "\n").first.map(String.init))
        let fingerprint = try #require(try amal.amana(["keys", "show-public"]).stdout.split(separator: "\n").last?.replacingOccurrences(of: "Fingerprint: ", with: ""))
        // A referral consent lets only the answers it names go; moving the whole case needs her consent to share with that organisation.
        var sharing = DemoAnswers.consent(day: today, scopes: ["information_sharing"])
        sharing["share_with"] = "Partner across the border"
        try submit(amal, number, "core/consent", sharing)
        let package = here + "/kathya.package", receipt = there + "/kathya.receipt"
        let exported = try amal.amana(["transfer", "export", number, "--to", publicKey, "--to-name", "Partner across the border", "--output", package])
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(try !String(contentsOfFile: package, encoding: .utf8).contains("Kathya"))

        // Across the border: the package is verified and opened; her story is there.
        let imported = try huda.amana(["transfer", "import", package, "--from", fingerprint, "--receipt", receipt])
        #expect(imported.status == 0, "\(imported.stderr)")
        let newNumber = try #require(imported.stdout.components(separatedBy: "Imported as ").last?.split(separator: ":").first.map(String.init))
        let registration = try huda.json(["case", "show", newNumber, "--form", "core/registration"])
        #expect((registration["values"] as? [String: Any])?["given_name"] as? String == "Kathya")
        let safety = try huda.json(["case", "show", newNumber, "--form", "core/safety-plan"])
        #expect((safety["values"] as? [String: Any])?["current_strategies"] as? String == "She stays with a friend when her ex-partner is in town.")
        // The same package again is refused.
        #expect(try huda.amana(["transfer", "import", package, "--from", fingerprint, "--receipt", receipt + "2"]).status != 0)

        // Back here: the receipt is recorded, and closing the case is the next task.
        let recordedReceipt = try amal.amana(["transfer", "receipt", number, receipt])
        #expect(recordedReceipt.status == 0, "\(recordedReceipt.stderr)")
        #expect(try amal.amana(["task", "list"]).stdout.contains("close it as transferred"))
    }
}
