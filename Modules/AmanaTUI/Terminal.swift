@preconcurrency import CNcurses
import Foundation
import Glibc

/// The terminal through ncursesw: draws screen lines, reads keys. Whatever
/// happens (a normal end, Ctrl-C, a signal), the terminal is given back in the
/// state it was found in, and the screen is cleared first: no survivor data is
/// left on it.
final class Terminal {
    private var started = false
    /// Colours only where the terminal has them and NO_COLOR is not set (https://no-color.org).
    private var colours = false

    func start() {
        setlocale(LC_ALL, "")  // before initscr: UTF-8 (Arabic included) is drawn and read as characters
        initscr()
        raw()
        noecho()
        nonl()
        keypad(amana_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        // Wait at most a second for a key, so the idle limit is checked even when no one types.
        wtimeout(amana_stdscr(), 1000)
        let noColour = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        if has_colors(), !noColour {
            start_color()
            use_default_colors()
            init_pair(1, Int16(COLOR_RED), -1)
            colours = true
        }
        // Pasted text arrives marked (bracketed paste) and is taken whole; the
        // screens lay out right-to-left lines themselves (bidi explicit mode).
        Terminal.send("\u{1B}[?2004h\u{1B}[8l")
        started = true
        Terminal.restoreOnSignals()
    }

    /// Writes control sequences straight to the terminal with write(2), past
    /// ncurses' buffers (also from the restore on a signal).
    static func send(_ sequence: String) {
        var bytes = Array(sequence.utf8)
        _ = write(STDOUT_FILENO, &bytes, bytes.count)
    }

    /// Clears the screen and gives the terminal back.
    func stop() {
        guard started else { return }
        started = false
        Terminal.restore()
    }

    static func restore() {
        werase(amana_stdscr())
        wrefresh(amana_stdscr())
        endwin()
        send("\u{1B}[?2004l\u{1B}[8h")
    }

    /// A terminating signal clears the screen and restores the terminal before the process ends.
    static func restoreOnSignals() {
        // SIGILL and SIGTRAP: a Swift runtime trap (a failed precondition) ends the process with one.
        for sig in [SIGTERM, SIGHUP, SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE] {
            signal(sig) { received in
                Terminal.restore()
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }

    var size: (width: Int, height: Int) { (Int(amana_cols()), Int(amana_lines())) }

    /// Draws `lines` in place of what is on the screen. `clearingFirst`: the terminal is sent
    /// one clear-screen before anything else (after signing out, so that no row of a case is
    /// left standing while the sign-in screen is painted over it, line by line).
    func draw(_ lines: [ScreenLine], clearingFirst: Bool = false) {
        let screen = amana_stdscr()
        werase(screen)
        if clearingFirst { clearok(screen, true) }
        for (row, line) in lines.enumerated() {
            let attribute: Int32
            switch line.style {
            case .plain, .status: attribute = 0
            case .title: attribute = amana_bold()
            case .selected, .help: attribute = amana_reverse()
            case .problem: attribute = amana_bold() | (colours ? amana_colour_pair(1) : 0)
            }
            if attribute != 0 { wattron(screen, attribute) }
            mvwaddstr(screen, Int32(row), 0, line.text)
            if attribute != 0 { wattroff(screen, attribute) }
        }
        wrefresh(screen)
    }

    func readKey() -> TUIKey {
        var code: wint_t = 0
        let result = wget_wch(amana_stdscr(), &code)
        if result == ERR { return .none }
        if result == amana_key_code_yes() {
            switch Int32(code) {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_NPAGE: return .pageDown
            case KEY_PPAGE: return .pageUp
            case KEY_HOME: return .home
            case KEY_END: return .end
            case KEY_BACKSPACE: return .backspace
            case KEY_ENTER: return .enter
            case KEY_BTAB: return .backTab
            case KEY_RESIZE: return .resize
            case KEY_F0 + 1...KEY_F0 + 12: return .function(Int(Int32(code) - KEY_F0))
            default: return .none
            }
        }
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return escapeSequence()
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(code) + 96)))
        default:
            guard let scalar = Unicode.Scalar(UInt32(code)), scalar.value >= 32 else { return .none }
            return .character(Character(scalar))
        }
    }

    /// Esc alone, or the start of a sequence ncurses does not know: a bracketed
    /// paste (`ESC [200~ … ESC [201~`) is read whole and returned as one paste.
    func escapeSequence() -> TUIKey {
        let screen = amana_stdscr()
        wtimeout(screen, 30)
        defer { wtimeout(screen, 1000) }
        var introducer = ""
        while introducer.count < 6, let c = nextCharacter() {
            introducer.append(c)
            if c == "~" || (c.isLetter && introducer.count > 1) { break }
        }
        guard introducer == "[200~" else { return introducer.isEmpty ? .escape : .none }
        // A paste may be long: read it all, up to a generous limit, and keep it in order.
        wtimeout(screen, 200)
        var pasted: [Character] = []
        while pasted.count < 100_000, let c = nextCharacter() {
            pasted.append(c)
            if pasted.count >= 6, String(pasted.suffix(6)) == "\u{1B}[201~" {
                pasted.removeLast(6)
                break
            }
        }
        return .paste(String(pasted).replacingOccurrences(of: "\r", with: "\n"))
    }

    private func nextCharacter() -> Character? {
        var code: wint_t = 0
        let result = wget_wch(amana_stdscr(), &code)
        guard result != ERR, result != amana_key_code_yes(), let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
        return Character(scalar)
    }
}
