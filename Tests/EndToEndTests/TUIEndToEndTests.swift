import Foundation
import Glibc
import Testing

/// `amana tui` in a real terminal: tmux runs it, `send-keys` types, `capture-pane` reads the screen.
@Suite("The TUI under tmux")
struct TUIEndToEndTests {
    /// A tmux session of its own (its own server socket), running `amana tui` on `data`.
    struct Tmux {
        let socket = "amana-tui-\(UUID().uuidString.prefix(8))"
        let session = "tui"

        /// Runs a tmux command through the shell (`system`), its output read from a file: the
        /// tmux server started by the first command is a daemon, and Foundation's `Process`
        /// never sees that first client end.
        @discardableResult
        func tmux(_ arguments: [String]) throws -> String {
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: output) }
            let quote = { (text: String) in "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            let environment = "TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_STATE_HOME=\(quote(AmanaBinary.environment["XDG_STATE_HOME"] ?? "/tmp"))"
            let command = "\(environment) tmux -L \(socket) " + arguments.map(quote).joined(separator: " ") + " > \(quote(output)) 2>/dev/null < /dev/null"
            _ = system(command)
            return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        }

        func start(data: String, width: Int = 100, height: Int = 30) throws {
            let command = "AMANA_SHIPPED_DIR='\(AmanaBinary.repositoryRoot)' '\(AmanaBinary.path)' tui --data '\(data)'; echo TUI-ENDED-$?; sleep 30"
            try tmux(["new-session", "-d", "-s", session, "-x", String(width), "-y", String(height), command])
        }

        func keys(_ keys: String...) throws { try tmux(["send-keys", "-t", session] + keys) }
        func type(_ text: String) throws { try tmux(["send-keys", "-t", session, "-l", text]) }
        func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", session]) }

        /// Waits (up to 20 s) until the screen shows every one of `texts` (a capture can
        /// catch a screen half drawn: wait for what the test looks at, not only the title).
        func waitFor(_ texts: String...) throws -> String { try waitFor(texts) }

        func waitFor(_ texts: [String]) throws -> String {
            var last = ""
            for _ in 0..<100 {
                last = try screen()
                if texts.allSatisfy(last.contains) { return last }
                Thread.sleep(forTimeInterval: 0.2)
            }
            Issue.record("the screen never showed \(texts):\n\(last)")
            return last
        }

        func kill() { _ = try? tmux(["kill-server"]) }
    }

    @Test func signInSeeMyWorkOpenACaseAndLeaveTheTerminalClean() throws {
        let data = temporaryDataDirectory()
        let passwords = demoPasswords(try AmanaBinary.run(["init", "--data", data, "--demo"]).stdout)
        let amal = Console(data: data)
        #expect(try amal.login("amal", passwords["amal"] ?? "").status == 0)
        let tui = Tmux()
        defer { tui.kill() }
        try tui.start(data: data)
        _ = try tui.waitFor("Amana — sign in")
        try tui.type("amal")
        try tui.keys("Tab")
        try tui.type(passwords["amal"] ?? "")
        try tui.keys("Enter")
        let work = try tui.waitFor("My work — amal", "DEMO-2026-", "Enter open the case")
        #expect(!work.contains(passwords["amal"] ?? "-"))
        // A task done from my work; the console sees it done.
        let before = try amal.amana(["task", "list"]).stdout.components(separatedBy: "Plan: ").count
        try tui.type("d")
        _ = try tui.waitFor("Task done.")
        #expect(try amal.amana(["task", "list"]).stdout.components(separatedBy: "Plan: ").count == before - 1)

        try tui.type("c")
        _ = try tui.waitFor("Cases — amal", "gbv")
        try tui.keys("Enter")
        _ = try tui.waitFor("Case DEMO-2026-", "Next steps", "Consent", "Forms")
        try tui.keys("Escape")
        _ = try tui.waitFor("Cases — amal")
        // Find her by name, spelled as the person gave it: through the blind index, never in plain text.
        try tui.type("/")
        _ = try tui.waitFor("Search:")
        try tui.type("hana")
        try tui.keys("Enter")
        _ = try tui.waitFor("for the search “hana”", "DEMO-2026-")

        // Take a step on the case in follow-up; the console, on the same install at the same time, sees it.
        let number = try amal.demoCase(type: "gbv", state: "follow_up")
        try tui.type("/")
        try tui.type(number)
        try tui.keys("Enter")
        _ = try tui.waitFor("Found 1 for the search")
        try tui.keys("Enter")
        _ = try tui.waitFor("Next steps")
        try tui.type("t")
        _ = try tui.waitFor("take a step")
        try tui.keys("Enter")
        _ = try tui.waitFor("Done: the case is now in Implementing the case plan.")
        // Its referrals, conferences and transfers are on the case screen: none yet for this one.
        #expect(try amal.demoCase(type: "gbv", state: "implementation").isEmpty == false)
        let shown = try amal.json(["case", "show", number])
        #expect((shown["summary"] as? [String: Any])?["state"] as? String == "implementation")
        try tui.keys("Escape")
        _ = try tui.waitFor("Cases — amal")

        // Signing out clears the case from the screen; Ctrl-Q ends the program and gives the terminal back.
        try tui.type("q")
        let signedOut = try tui.waitFor("Amana — sign in")
        #expect(!signedOut.contains("DEMO-2026-"))
        try tui.keys("C-q")
        let ended = try tui.waitFor("TUI-ENDED-0")
        #expect(!ended.contains("Amana — sign in"))
    }

    @Test func aWrongPasswordSaysSoAndATooSmallTerminalIsToldToGrow() throws {
        let data = temporaryDataDirectory()
        _ = try AmanaBinary.run(["init", "--data", data, "--demo"])
        let tui = Tmux()
        defer { tui.kill() }
        try tui.start(data: data, width: 70, height: 20)
        _ = try tui.waitFor("Amana needs at least 80×24")
        try tui.tmux(["resize-window", "-t", tui.session, "-x", "90", "-y", "26"])
        _ = try tui.waitFor("Amana — sign in")
        try tui.type("amal")
        try tui.keys("Tab")
        try tui.type("not the password")
        try tui.keys("Enter")
        let refused = try tui.waitFor("password")
        #expect(refused.contains("Amana — sign in") && !refused.contains("My work"))
        try tui.keys("C-c")
        _ = try tui.waitFor("TUI-ENDED-0")
    }
}
