@preconcurrency import CNcurses
import Foundation
import Glibc

/// The terminal through ncursesw: draws screen lines, reads keys. Whatever
/// happens (a normal end, Ctrl-C, a signal), the terminal is given back in the
/// state it was found in, and the screen is cleared first: no survivor data is
/// left on it.
final class Terminal {
    private var started = false

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
        started = true
        Terminal.restoreOnSignals()
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

    func draw(_ lines: [ScreenLine]) {
        let screen = amana_stdscr()
        werase(screen)
        for (row, line) in lines.enumerated() {
            let attribute: Int32
            switch line.style {
            case .plain, .status: attribute = 0
            case .title: attribute = amana_bold()
            case .selected, .help: attribute = amana_reverse()
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
            default: return .none
            }
        }
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(code) + 96)))
        default:
            guard let scalar = Unicode.Scalar(UInt32(code)), scalar.value >= 32 else { return .none }
            return .character(Character(scalar))
        }
    }
}
