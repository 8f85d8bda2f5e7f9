import Foundation
import Testing

/// `amana consent check` through the binary, on the demo's child-protection case:
/// a 14-year-old who assented, and whose mother consented, to services and referral.
@Suite("Consent from the console")
struct ConsentCLIEndToEndTests {
    /// A new demo install, yusuf signed in, and the number of his registered child-protection case.
    func signedInOnTheChildsCase() throws -> (Console, String) {
        let data = temporaryDataDirectory()
        let passwords = demoPasswords(try AmanaBinary.run(["init", "--data", data, "--demo"]).stdout)
        let yusuf = Console(data: data)
        #expect(try yusuf.login("yusuf", passwords["yusuf"] ?? "").status == 0)
        return (yusuf, try yusuf.demoCase(type: "child-protection", state: "registered"))
    }

    @Test func theCheckSaysAllowedOrWhatIsMissingAndTheExitCodeSaysWhich() throws {
        let (yusuf, number) = try signedInOnTheChildsCase()

        let referral = try yusuf.amana(["consent", "check", number, "--act", "referral", "--recipient", "Health clinic X"])
        #expect(referral.status == 0, "\(referral.stderr)")
        #expect(referral.stdout.contains("Allowed: referral to Health clinic X."))
        #expect(referral.stdout.contains("Age band: 12-14"))

        let sharing = try yusuf.amana(["consent", "check", number, "--act", "information_sharing"])
        #expect(sharing.status == 1)
        #expect(sharing.stdout.contains("Not yet: information_sharing."))
        #expect(sharing.stdout.contains("Still missing:"))
        #expect(sharing.stdout.contains("The child"), "\(sharing.stdout)")

        let json = try yusuf.json(["consent", "check", number, "--act", "services"])
        #expect(json["allowed"] as? Bool == true)
        #expect((json["agreed_by"] as? [String])?.count == 2)

        let unknown = try yusuf.amana(["consent", "check", number, "--act", "publishing"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("referral"))
    }
}

extension ConsentCLIEndToEndTests {
    @Test func aWithdrawnReferralIsRefusedFromTheNextCheckOn() throws {
        let (yusuf, number) = try signedInOnTheChildsCase()
        #expect(try yusuf.amana(["consent", "check", number, "--act", "referral"]).status == 0)
        let withdrawn = try yusuf.amana(["consent", "withdraw", number, "1", "--scope", "referral", "--note", "-"], input: "He does not want to go to the clinic.\n")
        #expect(withdrawn.status == 0, "\(withdrawn.stderr)")
        #expect(withdrawn.stdout.contains("Withdrawn: referral"))
        #expect(try yusuf.amana(["consent", "check", number, "--act", "referral"]).status == 1)
        let never = try yusuf.amana(["consent", "withdraw", number, "1", "--scope", "reporting"])
        #expect(never.status == 2)
    }
}
