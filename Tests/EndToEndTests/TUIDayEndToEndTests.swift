import AmanaTestSupport
import Foundation
import GRDB
import Testing

/// A caseworker's day in `amana tui` under tmux, with `amana serve` running on
/// the same install at the same time: what is done in the terminal, the API sees.
@Suite("A day in the TUI")
struct TUIDayEndToEndTests {
    typealias Tmux = TUIEndToEndTests.Tmux

    /// An install with the demo, its server, and a signed-in API token for `username`.
    struct Install {
        let data = temporaryDataDirectory()
        var passwords: [String: String] = [:]
        let server: RunningServer
        let console: Console

        init() throws {
            passwords = demoPasswords(try AmanaBinary.run(["init", "--data", data, "--demo"]).stdout)
            server = try RunningServer(data: data)
            console = Console(data: data)
        }

        func token(_ username: String, _ password: String) async throws -> String {
            try #require(try await server.signIn(username, password).json["token"] as? String)
        }
    }

    static func day(offset: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: Date().addingTimeInterval(Double(offset) * 86_400))
    }

    /// What the screens say at each step, as a terminal shows it: Arabic joined and laid out right to left
    /// (captured from a run, so that these tests read what a person reads).
    struct Words {
        var myWork: [String], found: [String], caseScreen: [String], noteForm: [String], problems: [String], busy: [String], noteSaved: [String]
        var consentForm: [String], scopesChosen: [String], consentSaved: [String], referStart: [String], answers: [String], review: [String], referred: [String]

        static let english = Words(
            myWork: ["My work — "], found: ["Found 1 for the search"], caseScreen: ["Next steps", "✗ Being contacted after the case is closed"],
            noteForm: ["Case note · new", "▸ Date and time *:"], problems: ["problem(s) to fix before saving", "⚠ This date cannot be in the future."],
            busy: ["The database is busy"], noteSaved: ["Saved: Case note, version 1."],
            consentForm: ["Consent and assent · new", "▸ [ ] I explained the services"],
            scopesChosen: ["The person agrees to *: Being contacted after the case is closed"],
            consentSaved: ["Saved: Consent and assent, version 1.", "✓ Being contacted after the case is closed"],
            referStart: ["refer", "Search:"], answers: ["(nothing is the default)", "Registration — First name"],
            review: ["Consent: allowed", "What goes:", "Registration — First name"], referred: ["Referred to Clinical management of rape and primary care"])

        static let arabic = Words(
            myWork: [" — ﻲﻠﻤﻋ"], found: ["ﺚﺤﺒﻠﻟ 1 ﺪﺟﻭُ"], caseScreen: ["ﺔﻴﻟﺎﺘﻟﺍ ﺕﺍﻮﻄﺨﻟﺍ", "(ﺔﻣﺪﺨﻟﺍ ﻢﻴﻴﻘﺗ) ﺔﻟﺎﺤﻟﺍ ﻕﻼﻏﺇ ﺪﻌﺑ ﻞﺻﺍﻮﺘﻟﺍ ✗"],
            noteForm: ["ﺓﺪﻳﺪﺟ · ﺔﻟﺎﺤﻟﺍ ﺔﻈﺣﻼﻣ", ":* ﺖﻗﻮﻟﺍﻭ ﺦﻳﺭﺎﺘﻟﺍ ▸"], problems: ["ﻆﻔﺤﻟﺍ ﻞﺒﻗ ﺎﻬﺣﻼﺻﺇ ﺐﺠﻳ ﺔﻠﻜﺸﻣ", ".ﻞﺒﻘﺘﺴﻤﻟﺍ ﻲﻓ ﺦﻳﺭﺎﺘﻟﺍ ﺍﺬﻫ ﻥﻮﻜﻳ ﻥﺃ ﻦﻜﻤﻳ ﻻ ⚠"],
            busy: ["ﺔﻟﻮﻐﺸﻣ ﺕﺎﻧﺎﻴﺒﻟﺍ ﺓﺪﻋﺎﻗ"], noteSaved: [".1 ﺭﺍﺪﺻﻹﺍ ،ﺔﻟﺎﺤﻟﺍ ﺔﻈﺣﻼﻣ :ﺖﻈﻔﺣُ"],
            consentForm: ["ﺓﺪﻳﺪﺟ · ﻝﻮﺒﻘﻟﺍﻭ ﺔﻘﻓﺍﻮﻤﻟﺍ", "* ﺪﺋﺍﻮﻔﻟﺍﻭ ﺮﻃﺎﺨﻤﻟﺍﻭ ﺕﺍﺭﺎﻴﺨﻟﺍﻭ ﺕﺎﻣﺪﺨﻟﺍ ﺖُﺣﺮﺷ [ ] ▸"],
            scopesChosen: ["(ﺔﻣﺪﺨﻟﺍ ﻢﻴﻴﻘﺗ) ﺔﻟﺎﺤﻟﺍ ﻕﻼﻏﺇ ﺪﻌﺑ ﻞﺻﺍﻮﺘﻟﺍ :* ﻰﻠﻋ ﺺﺨﺸﻟﺍ ﻖﻓﺍﻮﻳ ▸"],
            consentSaved: [".1 ﺭﺍﺪﺻﻹﺍ ،ﻝﻮﺒﻘﻟﺍﻭ ﺔﻘﻓﺍﻮﻤﻟﺍ :ﺖﻈﻔﺣُ", "(ﺔﻣﺪﺨﻟﺍ ﻢﻴﻴﻘﺗ) ﺔﻟﺎﺤﻟﺍ ﻕﻼﻏﺇ ﺪﻌﺑ ﻞﺻﺍﻮﺘﻟﺍ ✓"],
            referStart: ["ﺔﻟﺎﺣﺇ — ", ":ﺚﺤﺑ"], answers: [":(ﺎًﻴﺿﺍﺮﺘﻓﺍ ﺀﻴﺷ ﻻ)", ":ﻝﻭﻷﺍ ﻢﺳﻻﺍ — ﻞﻴﺠﺴﺘﻟﺍ"],
            review: ["ﺡﻮﻤﺴﻣ :ﺔﻘﻓﺍﻮﻤﻟﺍ", ":ﻞﺳﺮﻳُ ﺎﻣ", ":ﻝﻭﻷﺍ ﻢﺳﻻﺍ — ﻞﻴﺠﺴﺘﻟﺍ"], referred: ["Clinical management of rape and primary care ﻰﻟﺇ ﺖﻠﻴﺣﺃُ"])
    }

    @Test func aCaseworkerWritesANoteWithAMistakeRecordsConsentRefersAndMendsAChangeMadeMeanwhile() async throws {
        let install = try Install()
        defer { install.server.stop() }
        try await day(install, username: "amal", password: install.passwords["amal"] ?? "", words: .english, thenAChangeMadeMeanwhile: true)
    }

    /// The same day in Arabic, by a supervisor whose preferred language is Arabic: the TUI speaks it from sign-in.
    @Test func aSupervisorWhoReadsArabicDoesTheSameInArabic() async throws {
        let install = try Install()
        defer { install.server.stop() }
        let added = try AmanaBinary.run(
            ["user", "add", "--data", install.data, "--username", "mariam", "--role", "case_manager", "--agency", "DEMO", "--team", "GBV team", "--language", "ar",
             "--password-stdin"], input: "mariam-demo-password-2026\n")
        #expect(added.status == 0, "\(added.stderr)")
        try await day(install, username: "mariam", password: "mariam-demo-password-2026", words: .arabic)
    }

    func day(_ install: Install, username: String, password: String, words: Words, thenAChangeMadeMeanwhile: Bool = false) async throws {
        let amal = install.passwords["amal"] ?? ""
        #expect(try install.console.login("amal", amal).status == 0)
        let number = try install.console.demoCase(type: "gbv", state: "case_planning")
        let caseID = try #require((try install.console.json(["case", "show", number])["summary"] as? [String: Any])?["id"] as? String)
        let token = try await install.token(username, password)

        let tui = Tmux()
        defer { tui.kill() }
        try tui.start(data: install.data)
        _ = try tui.waitFor("Amana — sign in")
        try tui.type(username)
        try tui.keys("Tab")
        try tui.type(password)
        try tui.keys("Enter")
        _ = try tui.waitFor(words.myWork + [username])
        try tui.type("/")
        try tui.type(number)
        try tui.keys("Enter")
        _ = try tui.waitFor(words.found)
        try tui.keys("Enter")
        _ = try tui.waitFor(words.caseScreen + [number])

        // A case note with a contact time in the future: the problem shows under the field, nothing is saved.
        try tui.type("n")
        _ = try tui.waitFor(words.noteForm)
        try tui.type("2099-01-01T10:00:00Z")
        try tui.keys("Down")
        try tui.type("phone")  // the contact mode, found by its code
        try tui.keys("Enter")
        try tui.keys("Down")
        try tui.type("y")
        try tui.keys("Down", "Down")
        try tui.type("We went through the safety plan together.")
        // Pasted at once (bracketed paste): the line breaks stay in the note, no key is taken as a command.
        try tui.tmux(["set-buffer", "-b", "note", "\nShe will call the hotline if he comes back.\nNext visit on Monday."])
        try tui.tmux(["paste-buffer", "-p", "-b", "note", "-t", tui.session])
        _ = try tui.waitFor("She will call the hotline if he comes back.", "Next visit on Monday.▏")
        // The terminal resized while the form is being filled: nothing typed is lost.
        try tui.tmux(["resize-window", "-t", tui.session, "-x", "130", "-y", "40"])
        _ = try tui.waitFor("We went through the safety plan together.", "Next visit on Monday.▏")
        try tui.tmux(["resize-window", "-t", tui.session, "-x", "100", "-y", "30"])
        _ = try tui.waitFor("Next visit on Monday.▏")
        try tui.keys("Down", "Down")
        try tui.type("n")
        try tui.keys("C-s")
        _ = try tui.waitFor(words.problems)
        let before = try await install.server.request("GET", "/api/v1/cases/\(caseID)", token: token).json["forms"] as? [[String: Any]]
        #expect(before?.contains { $0["form_id"] as? String == "core/case-note" } == false, "nothing was saved")

        // The database is held by someone else when saving: a message to try again, nothing lost.
        let release = try await Self.holdTheDatabase(install.data)
        // The cursor is on the field with the problem: mend it and save.
        try tui.keys("C-u")
        try tui.type("\(Self.day(offset: -1))T10:00:00Z")
        try tui.keys("C-s")
        _ = try tui.waitFor(words.busy)
        try await release()
        try tui.keys("C-s")
        _ = try tui.waitFor(words.noteSaved)
        let note = try await install.server.request("GET", "/api/v1/cases/\(caseID)/forms/core/case-note", token: token)
        #expect(note.status == 200 && (note.json["values"] as? [String: Any])?["note"] as? String
            == "We went through the safety plan together.\nShe will call the hotline if he comes back.\nNext visit on Monday.")

        // Consent to be contacted after closure, recorded on the consent form: the case screen and the API now allow it.
        try tui.type("k")
        _ = try tui.waitFor(words.consentForm)
        for _ in 0..<4 {
            try tui.keys("Space", "Down")
        }
        try tui.type("arabic")
        try tui.keys("Enter", "Down", "Down")
        try tui.type("2026-1")
        try tui.keys("Down")
        try tui.type("survivor")
        try tui.keys("Enter", "Down")
        try tui.type("consent")
        try tui.keys("Enter", "Down")
        try tui.type("y")
        try tui.keys("Down", "Enter")
        try tui.type("contact")
        try tui.keys("Space", "Enter")
        _ = try tui.waitFor(words.scopesChosen)
        try tui.keys("Down", "Down", "Down")
        try tui.type("signed")
        try tui.keys("Enter", "Down")
        try tui.type("N.F.")
        try tui.keys("Down", "Down")
        try tui.type(Self.day(offset: 0))
        try tui.keys("C-s")
        _ = try tui.waitFor(words.consentSaved)
        let contact = try await install.server.request("GET", "/api/v1/cases/\(caseID)/consent/requirements?act=contact_after_closure", token: token)
        #expect(contact.json["allowed"] as? Bool == true)

        // A referral from the directory with one answer picked; the consent check shown before sending.
        try tui.type("s")
        _ = try tui.waitFor(words.referStart)
        try tui.type("Cedar")
        _ = try tui.waitFor("Cedar Community Clinic")
        try tui.keys("Enter")
        _ = try tui.waitFor(words.answers)
        try tui.keys("Down", "Down", "Space", "Enter")
        _ = try tui.waitFor(words.review)
        try tui.type("Medical care")
        try tui.keys("C-t", "C-s")
        _ = try tui.waitFor(words.referred)
        let referrals = try await install.server.request("GET", "/api/v1/cases/\(caseID)/referrals", token: token)
        let sent = try #require((referrals.json["referrals"] as? [[String: Any]])?.first)
        #expect(sent["urgent"] as? Bool == true && sent["reason"] as? String == "Medical care")
        #expect((sent["shared"] as? [[String: Any]])?.map { $0["field"] as? String } == ["given_name"])

        if thenAChangeMadeMeanwhile { try await changedMeanwhile(install, tui: tui, caseID: caseID, token: token) }
        try tui.keys("C-q")
        _ = try tui.waitFor("TUI-ENDED-0")
    }

    /// The registration, open in the terminal, is changed through the API meanwhile: the
    /// save is refused, both changes are shown, and the one made here is laid over theirs.
    func changedMeanwhile(_ install: Install, tui: Tmux, caseID: String, token: String) async throws {
        try tui.type("f")
        _ = try tui.waitFor("forms", "Registration")
        try tui.keys("Enter")
        _ = try tui.waitFor("Registration · version 1", "▸ Date the case was identified *:")
        try tui.keys("C-u")
        try tui.type(Self.day(offset: -2))
        let path = "/api/v1/cases/\(caseID)/forms/core/registration"
        var values = try #require(try await install.server.request("GET", path, token: token).json["values"] as? [String: Any])
        values["family_name"] = "Renamed"
        let body = String(decoding: try JSONSerialization.data(withJSONObject: values), as: UTF8.self)
        #expect(try await install.server.request("PUT", path, token: token, body: body, headers: ["If-Match": "\"1\""]).status == 200)
        try tui.keys("C-s")
        _ = try tui.waitFor("Someone saved this form after you opened it: version 2", "They changed:", "Family name: Fictional → Renamed", "You changed:")
        try tui.keys("Enter")
        _ = try tui.waitFor("Your changes are laid over version 2")
        try tui.keys("C-s")
        _ = try tui.waitFor("Saved: Registration, version 3.")
        let saved = try #require(try await install.server.request("GET", path, token: token).json["values"] as? [String: Any])
        #expect(saved["family_name"] as? String == "Renamed" && saved["identification_date"] as? String == Self.day(offset: -2))
    }
    /// Holds the database as another writer would: SQLite's exclusive lock, or on PostgreSQL the
    /// lock every server's writes wait for. Returns what lets it go.
    static func holdTheDatabase(_ data: String) async throws -> @Sendable () async throws -> Void {
        if TestStore.onPostgres {
            let hold = try InstallDatabase.holdWriter(ofInstall: data)
            return { try hold.release() }
        }
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let holder = try DatabaseQueue(path: data + "/amana.sqlite", configuration: configuration)
        try await holder.writeWithoutTransaction { try $0.execute(sql: "BEGIN EXCLUSIVE") }
        return { try await holder.writeWithoutTransaction { try $0.execute(sql: "COMMIT") } }
    }
}
