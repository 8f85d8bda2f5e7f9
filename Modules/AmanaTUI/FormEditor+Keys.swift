import AmanaCore
import FormKit

extension FormEditor {
    /// What a key on the form asks of the application.
    public enum Outcome: Equatable, Sendable {
        /// The answers are valid here: send them to the Kernel.
        case save
        /// Back to the case, changes dropped.
        case leave
        /// A line for the status bar.
        case say(String)
    }

    /// Longest text a paste or typing may add to a field whose definition sets no limit.
    static let typingLimit = 10_000

    public mutating func handle(_ key: TUIKey) -> Outcome? {
        if conflict != nil { return handleConflict(key) }
        if picker != nil { return handlePicker(key) }
        switch key {
        case .down, .tab: move(by: 1)
        case .up, .backTab: move(by: -1)
        case .pageDown: move(by: 10)
        case .pageUp: move(by: -10)
        case .ctrl("s"):
            showAllProblems = true
            let problems = allProblems
            if problems.isEmpty { return .save }
            if let first = stops.first(where: { item in item.path.map { !self.problems(at: $0).isEmpty } ?? false }) { focus = first.path }
            return .say(TUIText.t("{0} problem(s) to fix before saving; each is shown under its field.", language, "\(problems.count)"))
        case .escape:
            if !changed || leaving { return .leave }
            leaving = true
            return .say(TUIText.t("Changes not saved: Esc again leaves without saving them, Ctrl-S saves.", language))
        default:
            return edit(key)
        }
        return nil
    }

    mutating func move(by offset: Int) {
        let stops = self.stops
        guard !stops.isEmpty else { return }
        if let focus { touched.insert(focus) }
        let current = stops.firstIndex { $0.path == focus } ?? 0
        focus = stops[min(max(current + offset, 0), stops.count - 1)].path
    }

    /// A key on the focused item: type, choose, tick, add or remove a row.
    mutating func edit(_ key: TUIKey) -> Outcome? {
        guard let item = focusedItem, let path = item.path else { return nil }
        switch item {
        case .addRow(_, let field, _):
            guard key == .enter || key == .ctrl("n") || key == .character("+") else { return nil }
            let count = rows(at: path).count
            let limit = field.maxRows ?? FieldDefinition.defaultMaxRows
            guard count < limit else { return .say(TUIText.t("At most {0} rows.", language, "\(limit)")) }
            setValue(.array(rows(at: path) + [.object([:])]), at: path)
            focus = stops.first { $0.path?.hasPrefix("\(path)/\(count)/") ?? false }?.path ?? focus
        case .row:
            guard key == .ctrl("x") else { return nil }
            setValue(nil, at: path)
            touched = touched.filter { !$0.hasPrefix(path) }
            if focusedItem == nil { focus = stops.last { ($0.path ?? "") < path }?.path ?? stops.first?.path }
            return .say(TUIText.t("Row removed.", language))
        case .field(_, let field, _):
            return editField(field, at: path, key)
        case .section:
            break
        }
        return nil
    }

    mutating func editField(_ field: FieldDefinition, at path: String, _ key: TUIKey) -> Outcome? {
        if key == .ctrl("u") {
            setValue(nil, at: path)
            return nil
        }
        switch field.type {
        case .tick:
            if key == .character(" ") || key == .enter { setValue(value(at: path) == .bool(true) ? nil : .bool(true), at: path) }
        case .yesNo:
            switch key {
            case .character(" "), .enter:
                let next: JSONValue? = switch value(at: path) {
                case nil: .bool(true)
                case .bool(true)?: .bool(false)
                default: nil
                }
                setValue(next, at: path)
            case .character("y"), .character("Y"), .character("ن"): setValue(.bool(true), at: path)
            case .character("n"), .character("N"), .character("ل"): setValue(.bool(false), at: path)
            case .backspace: setValue(nil, at: path)
            default: break
            }
        case _ where Self.isChosen(field):
            switch key {
            case .enter, .character(" "): openPicker(field, at: path, search: "")
            case .character(let c): openPicker(field, at: path, search: String(c))
            case .backspace: setValue(nil, at: path)
            default: break
            }
        default:
            return type(key, into: field, at: path)
        }
        return nil
    }

    /// Typing into a text, number or date field. A paste arrives whole; a
    /// single-line field takes its line breaks as spaces; nothing grows past the field's limit.
    mutating func type(_ key: TUIKey, into field: FieldDefinition, at path: String) -> Outcome? {
        var text: String
        switch value(at: path) {
        case .string(let s)?: text = s
        case .number?: text = display(field, at: path)
        default: text = ""
        }
        let limit = field.effectiveMaxLength ?? (field.type == .number || field.type == .integer ? 30 : Self.typingLimit)
        switch key {
        case .backspace:
            guard !text.isEmpty else { return nil }
            text.removeLast()
        case .enter:
            move(by: 1)
            return nil
        case .character(let c):
            text.append(c)
        case .paste(let pasted):
            text += field.type == .textarea ? pasted.replacingOccurrences(of: "\r\n", with: "\n") : pasted.split(whereSeparator: \.isNewline).joined(separator: " ")
        default:
            return nil
        }
        var outcome: Outcome?
        if text.count > limit {
            text = String(text.prefix(limit))
            outcome = .say(TUIText.t("This field takes at most {0} characters; the rest was not added.", language, "\(limit)"))
        }
        setValue(.string(text), at: path)
        return outcome
    }

    mutating func openPicker(_ field: FieldDefinition, at path: String, search: String) {
        let options = choices(for: field)
        var chosen: [String] = []
        switch value(at: path) {
        case .string(let code)?: chosen = [code]
        case .array(let codes)?: chosen = codes.compactMap { if case .string(let c) = $0 { c } else { nil } }
        default: break
        }
        var picker = Picker(path: path, title: field.label?.text(language) ?? field.id, options: options, multiple: field.type == .multiSelect, search: search, chosen: chosen)
        picker.selection = picker.shown.firstIndex { chosen.contains($0.code) } ?? 0
        self.picker = picker
    }

    mutating func handlePicker(_ key: TUIKey) -> Outcome? {
        guard var picker else { return nil }
        let shown = picker.shown
        switch key {
        case .escape:
            self.picker = nil
            return nil
        case .down: picker.selection = min(picker.selection + 1, max(shown.count - 1, 0))
        case .up: picker.selection = max(picker.selection - 1, 0)
        case .pageDown: picker.selection = min(picker.selection + 10, max(shown.count - 1, 0))
        case .pageUp: picker.selection = max(picker.selection - 10, 0)
        case .backspace:
            _ = picker.search.popLast()
            picker.selection = 0
        case .character(" ") where picker.multiple:
            guard shown.indices.contains(picker.selection) else { break }
            let code = shown[picker.selection].code
            if let index = picker.chosen.firstIndex(of: code) { picker.chosen.remove(at: index) } else { picker.chosen.append(code) }
        case .character(let c) where picker.search.count < 50:
            picker.search.append(c)
            picker.selection = 0
        case .enter:
            self.picker = nil
            touched.insert(picker.path)
            if picker.multiple {
                setValue(picker.chosen.isEmpty ? nil : .array(picker.chosen.map(JSONValue.string)), at: picker.path)
            } else if shown.indices.contains(picker.selection) {
                setValue(.string(shown[picker.selection].code), at: picker.path)
            }
            return nil
        default: break
        }
        self.picker = picker
        return nil
    }

    mutating func handleConflict(_ key: TUIKey) -> Outcome? {
        switch key {
        case .ctrl("r"), .enter:
            reapply()
            showAllProblems = true
            return .say(TUIText.t("Your changes are laid over version {0}: check them, then Ctrl-S saves.", language, "\(version ?? 0)"))
        case .escape:
            takeTheirs()
            return .say(TUIText.t("Your changes were dropped; the form shows version {0}.", language, "\(version ?? 0)"))
        default:
            return nil
        }
    }
}
