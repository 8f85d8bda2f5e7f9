/// A line typed on a screen (a reason, a search): what an editing key does to it.
enum TypedLine {
    /// Applies `key` to `text` if it edits (a character, Backspace, a paste whose
    /// line breaks become spaces), never past `limit` characters. False for any other key.
    static func edit(_ text: inout String, _ key: TUIKey, limit: Int) -> Bool {
        switch key {
        case .backspace: _ = text.popLast()
        case .character(let c) where !c.isNewline:
            if text.count < limit { text.append(c) }
        case .paste(let pasted): text = String((text + pasted.split(whereSeparator: \.isNewline).joined(separator: " ")).prefix(limit))
        default: return false
        }
        return true
    }
}
