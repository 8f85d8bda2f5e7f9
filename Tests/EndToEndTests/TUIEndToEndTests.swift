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

        /// Waits (up to 20 s) until the screen shows `text`.
        func waitFor(_ text: String) throws -> String {
            var last = ""
            for _ in 0..<100 {
                last = try screen()
                if last.contains(text) { return last }
                Thread.sleep(forTimeInterval: 0.2)
            }
            Issue.record("the screen never showed '\(text)':\n\(last)")
            return last
        }

        func kill() { _ = try? tmux(["kill-server"]) }
    }

    @Test func signInSeeMyWorkOpenACaseAndLeaveTheTerminalClean() throws {
        let data = temporaryDataDirectory()
        let passwords = demoPasswords(try AmanaBinary.run(["init", "--data", data, "--demo"]).stdout)
        let tui = Tmux()
        defer { tui.kill() }
        try tui.start(data: data)
        _ = try tui.waitFor("Amana — sign in")
        try tui.type("amal")
        try tui.keys("Tab")
        try tui.type(passwords["amal"] ?? "")
        try tui.keys("Enter")
        let work = try tui.waitFor("My work — amal")
        #expect(work.contains("DEMO-2026-") && work.contains("Enter open the case"))
        #expect(!work.contains(passwords["amal"] ?? "-"))

        try tui.type("c")
        let cases = try tui.waitFor("Cases — amal")
        #expect(cases.contains("gbv"))
        try tui.keys("Enter")
        let detail = try tui.waitFor("Next steps")
        #expect(detail.contains("Case DEMO-2026-") && detail.contains("History"))
        try tui.keys("Escape")
        _ = try tui.waitFor("Cases — amal")
        // Find her by name, spelled as the person gave it: through the blind index, never in plain text.
        try tui.type("/")
        _ = try tui.waitFor("Search:")
        try tui.type("hana")
        try tui.keys("Enter")
        let found = try tui.waitFor("for the search “hana”")
        #expect(found.contains("DEMO-2026-"))

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
