import Foundation
import Kernel

/// One line of the screen and how it is drawn.
public struct ScreenLine: Equatable, Sendable {
    public enum Style: Sendable { case plain, title, selected, status, help }
    public var text: String
    public var style: Style

    public init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }
}

/// The screens, as pure functions of the state: the same state always draws
/// the same lines, exactly `height` of them, none wider than `width`.
public enum Screens {
    public static let minimumWidth = 80, minimumHeight = 24

    public static func lines(_ state: TUIState, width: Int, height: Int, now: Date = Date()) -> [ScreenLine] {
        guard width >= minimumWidth, height >= minimumHeight else { return tooSmall(width: width, height: height) }
        let (title, body, help) = content(state, width: width, height: height - 4, now: now)
        var out = [ScreenLine(title, .title), ScreenLine("")] + body
        out = Array(out.prefix(height - 2))
        while out.count < height - 2 { out.append(ScreenLine("")) }
        out.append(ScreenLine(state.status ?? "", .status))
        out.append(ScreenLine(help, .help))
        return out.map { ScreenLine(fit($0.text, width), $0.style) }
    }

    static func content(_ state: TUIState, width: Int, height: Int, now: Date) -> (String, [ScreenLine], String) {
        switch state.screen {
        case .login:
            return ("Amana — sign in", loginBody(state.login), "Tab next field · Enter sign in · Ctrl-Q quit")
        case .work:
            return ("My work — \(state.username ?? "")", workBody(state, height: height, now: now),
                    "↑↓ move · Enter open the case · d done · c cases · / search · r refresh · q sign out · Ctrl-Q quit")
        case .cases:
            if state.search != nil {
                return ("Cases — \(state.username ?? "")", [ScreenLine("Search: \(state.search ?? "")▏", .selected), ScreenLine("")] + casesBody(state, height: height - 2),
                        "Type a name, a phone number or a case number · Enter search · Esc cancel")
            }
            let found = state.searchedFor.map { [ScreenLine("Found \(state.cases.count) for the search “\($0)”"), ScreenLine("")] } ?? []
            return ("Cases — \(state.username ?? "")", found + casesBody(state, height: height - found.count),
                    "↑↓ move · Enter open · / search · w my work · r refresh · q sign out · Ctrl-Q quit")
        case .caseView:
            if let choice = state.stepChoice, let detail = state.detail {
                return ("Case \(detail.summary.caseNumber) — take a step", stepsBody(detail, choice: choice),
                        "↑↓ choose · Enter take the step (or ask for its approval) · Esc back")
            }
            let body = state.detail.map { caseBody($0) + coordinationBody(state.coordination) } ?? []
            let shown = Array(body.dropFirst(min(state.scroll, max(body.count - height, 0))))
            let number = state.detail?.summary.caseNumber ?? ""
            return ("Case \(number) — \(state.username ?? "")", shown, "↑↓ scroll · t take a step · Esc back · r refresh · w my work · c cases · q sign out")
        }
    }

    static func loginBody(_ form: TUIState.LoginForm) -> [ScreenLine] {
        let marker = { (field: Int) in form.focus == field ? "▸ " : "  " }
        return [
            ScreenLine("Sign in with your Amana account. Nothing is shown of a case until you do."),
            ScreenLine(""),
            ScreenLine("\(marker(0))Username: \(form.username)", form.focus == 0 ? .selected : .plain),
            ScreenLine("\(marker(1))Password: \(String(repeating: "•", count: form.password.count))", form.focus == 1 ? .selected : .plain),
        ]
    }

    static func workBody(_ state: TUIState, height: Int, now: Date) -> [ScreenLine] {
        guard !state.tasks.isEmpty else { return [ScreenLine("Nothing to do: no open tasks.")] }
        var rows = [ScreenLine(columns(["", "CASE", "RISK", "DUE", "TASK"], [8, 18, 7, 12]))]
        rows += window(state.tasks, selection: state.selection, height: height - 1).map { index, task in
            let line = columns([task.overdue ? "OVERDUE" : "", task.caseNumber, task.riskLevel ?? "-", day(task.dueAt), task.title], [8, 18, 7, 12])
            return ScreenLine(line, index == state.selection ? .selected : .plain)
        }
        return rows
    }

    static func casesBody(_ state: TUIState, height: Int) -> [ScreenLine] {
        guard !state.cases.isEmpty else { return [ScreenLine("No cases you may see.")] }
        var rows = [ScreenLine(columns(["CASE", "PROGRAMME", "STATE", "RISK", "OWNER"], [18, 20, 16, 7]))]
        rows += window(state.cases, selection: state.selection, height: height - 1).map { index, c in
            let line = columns([c.caseNumber, c.caseType, c.closed ? "closed" : c.state, c.riskLevel ?? "-", c.owner], [18, 20, 16, 7])
            return ScreenLine(line, index == state.selection ? .selected : .plain)
        }
        return rows
    }

    /// The case: where it is, what it can do next and why not, its forms, tasks, approvals and history.
    static func caseBody(_ d: CaseDetail) -> [ScreenLine] {
        var out = [
            ScreenLine("\(d.summary.caseType) · \(d.stateLabel)\(d.summary.closed ? " (closed)" : "") · risk \(d.summary.riskLevel ?? "not assessed") · held by \(d.summary.owner)\(d.team.map { ", \($0)" } ?? "") · version \(d.summary.version)"),
            ScreenLine(""),
            ScreenLine("Next steps", .title),
        ]
        out += d.transitions.isEmpty ? [ScreenLine("  none")] : d.transitions.flatMap { t -> [ScreenLine] in
            [ScreenLine("  \(t.available ? "✓" : "✗") \(t.label)")] + t.blockedBy.map { ScreenLine("      \($0.message)") }
        }
        out += [ScreenLine(""), ScreenLine("Forms", .title)]
        out += d.forms.isEmpty ? [ScreenLine("  none yet")] : d.forms.map {
            ScreenLine("  \($0.title)\($0.entry > 1 ? " #\($0.entry)" : "") · version \($0.version) · \($0.by), \(day($0.at))\($0.readable ? "" : " · not for your role")")
        }
        out += [ScreenLine(""), ScreenLine("Open tasks", .title)]
        out += d.tasks.isEmpty ? [ScreenLine("  none")] : d.tasks.map { ScreenLine("  \($0.overdue ? "OVERDUE " : "")\(day($0.dueAt)) \($0.title) (\($0.assignee))") }
        if !d.approvals.isEmpty {
            out += [ScreenLine(""), ScreenLine("Approvals", .title)]
            out += d.approvals.map { ScreenLine("  \($0.transitionLabel): \($0.status)\($0.decidedBy.map { " by \($0)" } ?? "")") }
        }
        out += [ScreenLine(""), ScreenLine("History", .title)]
        out += d.history.map { ScreenLine("  \(day($0.at)) \($0.from.map { "\($0) → " } ?? "")\($0.to) (\($0.by))\($0.reason.map { ": \($0)" } ?? "")") }
        return out
    }

    /// Conferences, referrals and transfers: when, with whom, where each stands.
    static func coordinationBody(_ c: TUIState.Coordination) -> [ScreenLine] {
        var out: [ScreenLine] = []
        if !c.referrals.isEmpty {
            out += [ScreenLine(""), ScreenLine("Referrals", .title)]
            out += c.referrals.map { r in
                ScreenLine("  \(day(r.sentAt)) \(r.serviceName) — \(r.organisation) · \(r.status)\(r.urgent ? " · urgent" : "") · shared: \(r.shared.isEmpty ? "nothing" : r.shared.map(\.label).joined(separator: ", "))")
            }
        }
        if !c.conferences.isEmpty {
            out += [ScreenLine(""), ScreenLine("Case conferences", .title)]
            out += c.conferences.flatMap { conference -> [ScreenLine] in
                [ScreenLine("  \(day(conference.scheduledFor)) \(conference.status) · \(conference.participants.joined(separator: ", ")) · \(conference.agenda)")]
                    + (conference.outcome.map { [ScreenLine("      Decided: \($0.decisions)")] } ?? [])
            }
        }
        if !c.transfers.isEmpty {
            out += [ScreenLine(""), ScreenLine("Transfers", .title)]
            out += c.transfers.map { t in
                ScreenLine("  \(day(t.createdAt)) \(t.mode) · \(t.status) · \(t.to ?? t.toTeam ?? t.recipientName ?? t.senderOrganisation ?? "")")
            }
        }
        return out
    }

    /// The steps out of the case's state: the chosen one highlighted, each blocked one with its reasons.
    static func stepsBody(_ d: CaseDetail, choice: Int) -> [ScreenLine] {
        var out = [ScreenLine("\(d.stateLabel) · version \(d.summary.version)"), ScreenLine("")]
        for (index, step) in d.transitions.enumerated() {
            let mark = step.available ? "✓" : step.canRequestApproval ? "?" : "✗"
            out.append(ScreenLine("\(mark) \(step.label)\(step.canRequestApproval ? " — needs approval: Enter asks for it" : "")", index == choice ? .selected : .plain))
            out += step.blockedBy.map { ScreenLine("    \($0.message)") }
        }
        return out
    }

    static func tooSmall(width: Int, height: Int) -> [ScreenLine] {
        let message = "The terminal is \(width)×\(height); Amana needs at least \(minimumWidth)×\(minimumHeight). Make it larger."
        var out = [ScreenLine(fit(message, max(width, 1)), .status)]
        while out.count < height { out.append(ScreenLine("")) }
        return Array(out.prefix(max(height, 1)))
    }

    /// The rows around the selection that fit in `height`.
    static func window<T>(_ items: [T], selection: Int, height: Int) -> [(Int, T)] {
        let first = max(0, min(selection - height / 2, items.count - height))
        return Array(items.enumerated().dropFirst(first).prefix(height)).map { ($0.offset, $0.element) }
    }

    /// Fixed-width columns (the last takes what is left).
    static func columns(_ values: [String], _ widths: [Int]) -> String {
        values.enumerated().map { index, value in
            index < widths.count ? pad(fit(value, widths[index] - 1), widths[index]) : value
        }.joined()
    }

    static func day(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withFullDate]
        return f.string(from: date)
    }

    /// Cut to `width` characters, with an ellipsis when cut.
    static func fit(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(max(width - 1, 0))) + "…"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
