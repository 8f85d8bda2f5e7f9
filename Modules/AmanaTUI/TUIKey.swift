/// A key as the screens understand it, whatever the terminal sent.
public enum TUIKey: Equatable, Sendable {
    case character(Character)
    case enter, tab, backTab, backspace, escape
    case up, down, left, right, pageUp, pageDown, home, end
    /// Ctrl with a letter (`ctrl("q")`); Ctrl-C arrives as `ctrl("c")` in raw mode.
    case ctrl(Character)
    /// A function key (`function(2)` is F2).
    case function(Int)
    /// Text pasted at once (the terminal's bracketed paste): taken whole, line breaks included.
    case paste(String)
    /// The terminal changed size.
    case resize
    /// No key within the wait: time to check the idle limit.
    case none
}
