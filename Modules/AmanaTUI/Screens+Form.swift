import AmanaCore
import FormKit

/// A form as lines: sections, fields with their answers, problems under
/// their field, the hint of the field with the cursor; the lines around the
/// cursor when the form is longer than the screen.
extension Screens {
    static func formContent(_ e: FormEditor, height: Int, width: Int) -> (String, [ScreenLine], String) {
        let language = e.language
        let title = TUIText.t("Case {0} — {1}", language, e.caseNumber, e.form.title.text(language))
            + " · " + (e.version.map { TUIText.t("version {0}", language, "\($0)") } ?? TUIText.t("new", language))
        if let conflict = e.conflict {
            return (title, conflictBody(e, conflict), TUIText.t("Enter re-applies your changes over theirs (then check and save) · Esc drops yours", language))
        }
        if let picker = e.picker {
            let help = picker.multiple ? "type to search · ↑↓ move · Space tick · Enter done · Esc cancel" : "type to search · ↑↓ move · Enter choose · Esc cancel"
            return (title, pickerBody(picker, language: language, height: height), TUIText.t(help, language))
        }
        let (lines, focusLine) = formLines(e, width: width)
        let first = max(0, min(focusLine - height / 3, lines.count - height))
        return (title, Array(lines.dropFirst(first)),
                TUIText.t("↑↓ field · type to fill · Space tick or choose · Enter next or pick · Ctrl-U clear · Ctrl-S save · Esc leave", language))
    }

    /// Every line of the form, and the line the cursor is on.
    static func formLines(_ e: FormEditor, width: Int) -> ([ScreenLine], Int) {
        let language = e.language
        var lines = e.strayProblems.map { ScreenLine("⚠ \($0.message)", .problem) }
        var focusLine = 0
        for item in e.items {
            let focused = item.path != nil && item.path == e.focus
            if focused { focusLine = lines.count }
            let style: ScreenLine.Style = focused ? .selected : .plain
            let marker = focused ? "▸ " : "  "
            switch item {
            case .section(let title):
                lines += [ScreenLine(""), ScreenLine(title, .title)]
            case .row(_, let index, let depth):
                let remove = focused ? " · " + TUIText.t("Ctrl-X removes this row", language) : ""
                lines.append(ScreenLine(indent(depth) + marker + "— " + TUIText.t("Row {0}", language, "\(index + 1)") + " —" + remove, style))
            case .addRow(let path, _, let depth):
                lines.append(ScreenLine(indent(depth) + marker + "+ " + TUIText.t("Add a row (Enter)", language), style))
                lines += e.problems(at: path).map { ScreenLine(indent(depth) + "    ⚠ \($0.message)", .problem) }
            case .field(let path, let field, let depth):
                let label = field.label?.text(language) ?? field.id
                let star = e.isRequired(field, at: path) ? " *" : ""
                let pad = indent(depth)
                switch field.type {
                case .note:
                    lines += wrap(label, width - pad.count - 2).map { ScreenLine(pad + "  " + $0) }
                case .repeat:
                    lines.append(ScreenLine(pad + "  " + label + star + " · " + TUIText.t("{0} row(s)", language, "\(e.rows(at: path).count)"), .title))
                case .tick:
                    let box = e.value(at: path) == .bool(true) ? "[x]" : "[ ]"
                    lines.append(ScreenLine(pad + marker + box + " " + label + star, style))
                case .textarea:
                    lines.append(ScreenLine(pad + marker + label + star + ":", style))
                    let text = e.display(field, at: path) + (focused ? "▏" : "")
                    lines += text.split(separator: "\n", omittingEmptySubsequences: false)
                        .flatMap { wrap(String($0), width - pad.count - 4) }
                        .map { ScreenLine(pad + "    " + $0, style) }
                default:
                    let typed = focused && !FormEditor.isChosen(field) && field.type != .yesNo && field.type != .calculated
                    let shown = e.display(field, at: path)
                    // How a date is typed, until it is.
                    let format = typed && shown.isEmpty ? (field.type == .date ? " YYYY-MM-DD" : field.type == .datetime ? " YYYY-MM-DDTHH:MM:SSZ" : "") : ""
                    lines.append(ScreenLine(pad + marker + label + star + ": " + shown + (typed ? "▏" : "") + format, style))
                }
                if focused, let hint = field.hint?.text(language) {
                    lines += wrap(hint, width - pad.count - 4).map { ScreenLine(pad + "    " + $0) }
                }
                if field.type != .repeat {
                    lines += e.problems(at: path).map { ScreenLine(pad + "    ⚠ \($0.message)", .problem) }
                }
            }
        }
        return (lines, focusLine)
    }

    static func pickerBody(_ picker: FormEditor.Picker, language: String, height: Int) -> [ScreenLine] {
        var lines = [ScreenLine(TUIText.t("Choose: {0}", language, picker.title), .title), ScreenLine(TUIText.t("Search: ", language) + picker.search + "▏"), ScreenLine("")]
        let shown = picker.shown
        if shown.isEmpty { return lines + [ScreenLine(TUIText.t("No option holds “{0}”.", language, picker.search))] }
        lines += window(shown, selection: picker.selection, height: height - lines.count).map { index, choice in
            let box = picker.multiple ? (picker.chosen.contains(choice.code) ? "[x] " : "[ ] ") : ""
            return ScreenLine("  " + box + choice.label, index == picker.selection ? .selected : .plain)
        }
        return lines
    }

    /// Theirs and mine, field by field, before the person decides.
    static func conflictBody(_ e: FormEditor, _ c: FormEditor.Conflict) -> [ScreenLine] {
        let language = e.language
        func label(_ id: String) -> String { e.form.field(id)?.label?.text(language) ?? id }
        func shown(_ value: JSONValue?, _ id: String) -> String {
            guard let value, let field = e.form.field(id) else { return "—" }
            var probe = e
            probe.answers = [id: value]
            return probe.display(field, at: "/" + id)
        }
        var lines = [ScreenLine(TUIText.t("Someone saved this form after you opened it: version {0}, by {1}.", language, "\(c.version)", c.by), .problem), ScreenLine("")]
        lines.append(ScreenLine(TUIText.t("They changed:", language), .title))
        lines += c.changedByThem.map { ScreenLine("  \(label($0)): \(shown(e.base[$0], $0)) → \(shown(c.theirs[$0], $0))") }
        lines += [ScreenLine(""), ScreenLine(TUIText.t("You changed:", language), .title)]
        lines += c.changedHere.map { ScreenLine("  \(label($0)): \(shown(e.base[$0], $0)) → \(shown(e.answers[$0], $0))") }
        return lines
    }

    static func indent(_ depth: Int) -> String { String(repeating: "  ", count: depth) }

    /// Words wrapped to `width` characters (a word longer than the line is cut).
    static func wrap(_ text: String, _ width: Int) -> [String] {
        let width = max(width, 10)
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            var word = String(word)
            while word.count > width {
                if !line.isEmpty { lines.append(line); line = "" }
                lines.append(String(word.prefix(width)))
                word = String(word.dropFirst(width))
            }
            if line.isEmpty { line = word } else if line.count + 1 + word.count <= width { line += " " + word } else { lines.append(line); line = word }
        }
        lines.append(line)
        return lines
    }
}
