import Foundation
import Kernel

/// One line of the screen and how it is drawn.
public struct ScreenLine: Equatable, Sendable {
    public enum Style: Sendable { case plain, title, selected, status, help, problem }
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
        guard width >= minimumWidth, height >= minimumHeight else { return tooSmall(width: width, height: height, language: state.language) }
        // Room for a help line on two lines when the keys do not fit on one.
        let (title, body, help) = content(state, width: width, height: height - 5, now: now)
        let helpLines = helpLines(help, width: width)
        var out = [ScreenLine(title, .title), ScreenLine("")] + body
        out = Array(out.prefix(height - 1 - helpLines.count))
        while out.count < height - 1 - helpLines.count { out.append(ScreenLine("")) }
        out.append(ScreenLine(state.status ?? "", .status))
        out += helpLines.map { ScreenLine($0, .help) }
        guard TUIText.isRightToLeft(state.language) else {
            return out.map { ScreenLine(fit($0.text.replacingOccurrences(of: RightToLeft.cellMark, with: ""), width), $0.style) }
        }
        // Right to left: each line cut in reading order, then laid out for a terminal that draws left to right.
        return out.map { ScreenLine(RightToLeft.visual(fit($0.text, width + $0.text.count(where: { $0 == Character(RightToLeft.cellMark) })), width: width), $0.style) }
    }

    static func content(_ state: TUIState, width: Int, height: Int, now: Date) -> (String, [ScreenLine], String) {
        let t = state.t
        let who = state.username ?? ""
        switch state.screen {
        case .login:
            return (t("Amana — sign in"), loginBody(state), t("Tab next field · Enter sign in · F2 English/العربية · Ctrl-Q quit"))
        case .work:
            return (t("My work — {0}", who), workBody(state, height: height, now: now),
                    t("↑↓ move · Enter open the case · d done · c cases · / search · a approvals · l caseload · r refresh · F2 language · q sign out"))
        case .cases:
            if state.search != nil {
                return (t("Cases — {0}", who), [ScreenLine(t("Search: {0}▏", state.search ?? ""), .selected), ScreenLine("")] + casesBody(state, height: height - 2),
                        t("Type a name, a phone number, a case number, state:… or risk:… · Enter search · Esc cancel"))
            }
            let found = state.searchedFor.map { [ScreenLine(t("Found {0} for the search “{1}”", "\(state.cases.count)", $0)), ScreenLine("")] } ?? []
            return (t("Cases — {0}", who), found + casesBody(state, height: height - found.count),
                    t("↑↓ move · Enter open · / search · w my work · a approvals · l caseload · r refresh · F2 language · q sign out"))
        case .caseView:
            let number = state.detail?.summary.caseNumber ?? ""
            if let choice = state.stepChoice, let detail = state.detail {
                if let reason = state.stepReason {
                    return (t("Case {0} — take a step", number), stepsBody(detail, choice: choice, t: t) + [ScreenLine(""), ScreenLine(t("Why: {0}▏", reason), .selected)],
                            t("type why (the history keeps it) · Enter take the step · Esc cancel"))
                }
                return (t("Case {0} — take a step", number), stepsBody(detail, choice: choice, t: t), t("↑↓ choose · Enter take the step (or ask for its approval) · Esc back"))
            }
            let body = state.detail.map { caseBody($0, consent: consentBody(state.consent, width: width, t: t), width: width, t: t) + coordinationBody(state.coordination, t: t) } ?? []
            let shown = Array(body.dropFirst(min(state.scroll, max(body.count - height, 0))))
            return (t("Case {0} — {1}", number, who), shown, t("↑↓ scroll · f forms · k consent · p consent approval · n note · s refer · t take a step · Esc back · r refresh · q sign out"))
        case .forms:
            return (t("Case {0} — forms", state.detail?.summary.caseNumber ?? ""), formsBody(state, height: height), t("↑↓ choose · Enter open the form · Esc back"))
        case .form:
            guard let editor = state.editor else { return ("", [], "") }
            return formContent(editor, height: height, width: width)
        case .refer:
            guard let referral = state.referral else { return ("", [], "") }
            return referralContent(referral, height: height, width: width)
        case .approvals:
            if let reason = state.rejection {
                return (t("Approvals — {0}", who), approvalsBody(state, height: height - 2, width: width) + [ScreenLine(""), ScreenLine(t("Why reject it: {0}▏", reason), .selected)],
                        t("type the reason the caseworker will read · Enter reject · Esc cancel"))
            }
            return (t("Approvals — {0}", who), approvalsBody(state, height: height, width: width),
                    t("↑↓ move · Enter review the case · y approve · x reject · w my work · l caseload · r refresh · q sign out"))
        case .caseload:
            return (t("Caseload — {0}", who), caseloadBody(state, height: height, width: width),
                    t("↑↓ move · Enter the worker's cases · a approvals · w my work · r refresh · q sign out"))
        }
    }

    /// What waits for the supervisor's decision: the case, the step, who asked and when;
    /// then the consent overrides given lately, flagged with who decided and why.
    static func approvalsBody(_ state: TUIState, height: Int, width: Int = minimumWidth) -> [ScreenLine] {
        let t = state.t
        let overrides = state.overrides.isEmpty ? [] : [ScreenLine(""), ScreenLine(t("Consent overrides in the last 90 days"), .title)]
            + state.overrides.prefix(5).flatMap { o in
                let line = "\(o.caseNumber) · \(o.transitionLabel) · \(o.decidedBy ?? "") \(day(o.decidedAt ?? o.requestedAt)) · \(o.status)\(o.comment.map { ": \($0)" } ?? "")"
                return wrap(line, width - 4).enumerated().map { ScreenLine(($0.offset == 0 ? "  ! " : "    ") + $0.element) }
            }
        guard !state.approvals.isEmpty else { return [ScreenLine(t("Nothing waits for your approval."))] + overrides }
        var rows = [ScreenLine(columns([t("CASE"), t("ASKED BY"), t("ON"), t("STEP")], [18, 12, 12]))]
        rows += window(state.approvals, selection: state.selection, height: max(height - 1 - overrides.count, 3)).map { index, a in
            ScreenLine(columns([a.caseNumber, a.requestedBy, day(a.requestedAt), a.transitionLabel], [18, 12, 12]), index == state.selection ? .selected : .plain)
        }
        return rows + overrides
    }

    /// The dashboard: what is late or waiting, then each worker's open cases (high risk,
    /// overdue tasks, referrals without an answer, due for closure review), then each team's and each state's.
    static func caseloadBody(_ state: TUIState, height: Int, width: Int = minimumWidth) -> [ScreenLine] {
        let t = state.t
        guard let d = state.dashboard, d.openCases > 0 else { return [ScreenLine(t("No open cases you may see."))] }
        let widths = [20, 7, 11, 9, 11]
        let header = { (first: String) in ScreenLine(columns([first, t("OPEN"), t("HIGH RISK"), t("OVERDUE"), t("REFERRALS"), t("CLOSURE REVIEW")], widths)) }
        let line = { (l: Dashboard.Load) in [l.name.isEmpty ? "-" : l.name, "\(l.open)", "\(l.highRisk)", "\(l.overdueTasks)", "\(l.referralsWaiting)", "\(l.dueForClosureReview)"] }
        let summary = t(
            "{0} open · {1} overdue tasks · {2} referrals without an answer · {3} due for closure review · {4} consent overrides (90 days)",
            "\(d.openCases)", "\(d.overdueTasks)", "\(d.referralsWaiting)", "\(d.dueForClosureReview)", "\(d.consentOverrides)")
        var out = wrap(summary, width).map { ScreenLine($0) } + [ScreenLine(""), header(t("WORKER"))]
        out += window(d.workers, selection: state.selection, height: max(min(d.workers.count, height / 2), 1)).map { index, load in
            ScreenLine(columns(line(load), widths), index == state.selection ? .selected : .plain)
        }
        out += [ScreenLine(""), header(t("TEAM"))] + d.teams.map { ScreenLine(columns(line($0), widths)) }
        out += [ScreenLine(""), ScreenLine(t("By state"), .title)] + d.byState.map { ScreenLine("  \($0.programme) · \($0.label): \($0.count)") }
        return out
    }

    /// The keys on one line, or on two, split between keys, when they do not fit on one.
    static func helpLines(_ help: String, width: Int) -> [String] {
        guard help.count > width else { return [help] }
        var first = ""
        var rest: [Substring] = []
        for part in help.split(separator: " · ", omittingEmptySubsequences: false) {
            if rest.isEmpty, first.isEmpty || first.count + 3 + part.count <= width {
                first += (first.isEmpty ? "" : " · ") + part
            } else {
                rest.append(part)
            }
        }
        return [first, rest.joined(separator: " · ")]
    }

    /// The forms of the case: each entry filled in, and each form that can be started.
    static func formsBody(_ state: TUIState, height: Int) -> [ScreenLine] {
        window(state.caseForms, selection: state.formSelection, height: height).map { index, choice in
            ScreenLine(columns([choice.title, choice.note], [40]), index == state.formSelection ? .selected : .plain)
        }
    }

    static func loginBody(_ state: TUIState) -> [ScreenLine] {
        let form = state.login
        let marker = { (field: Int) in form.focus == field ? "▸ " : "  " }
        return [
            ScreenLine(state.t("Sign in with your Amana account. Nothing is shown of a case until you do.")),
            ScreenLine(""),
            ScreenLine("\(marker(0))\(state.t("Username")): \(form.username)", form.focus == 0 ? .selected : .plain),
            ScreenLine("\(marker(1))\(state.t("Password")): \(String(repeating: "•", count: form.password.count))", form.focus == 1 ? .selected : .plain),
        ]
    }

    static func workBody(_ state: TUIState, height: Int, now: Date) -> [ScreenLine] {
        let t = state.t
        guard !state.tasks.isEmpty else { return [ScreenLine(t("Nothing to do: no open tasks."))] }
        var rows = [ScreenLine(columns(["", t("CASE"), t("RISK"), t("DUE"), t("TASK")], [8, 18, 7, 12]))]
        rows += window(state.tasks, selection: state.selection, height: height - 1).map { index, task in
            let line = columns([task.overdue ? t("OVERDUE") : "", task.caseNumber, task.riskLevel ?? "-", day(task.dueAt), task.title], [8, 18, 7, 12])
            return ScreenLine(line, index == state.selection ? .selected : .plain)
        }
        return rows
    }

    static func casesBody(_ state: TUIState, height: Int) -> [ScreenLine] {
        let t = state.t
        guard !state.cases.isEmpty else { return [ScreenLine(t("No cases you may see."))] }
        var rows = [ScreenLine(columns([t("CASE"), t("PROGRAMME"), t("STATE"), t("RISK"), t("OWNER")], [18, 20, 16, 7]))]
        rows += window(state.cases, selection: state.selection, height: height - 1).map { index, c in
            let line = columns([c.caseNumber, c.caseType, c.closed ? t("closed") : c.state, c.riskLevel ?? "-", c.owner], [18, 20, 16, 7])
            return ScreenLine(line, index == state.selection ? .selected : .plain)
        }
        return rows
    }

    /// The case: where it is, what it can do next and why not, its forms, tasks, approvals and history.
    static func caseBody(_ d: CaseDetail, consent: [ScreenLine] = [], width: Int = minimumWidth, t: (String, String...) -> String) -> [ScreenLine] {
        let state = d.summary.closed && !d.stateLabel.localizedCaseInsensitiveContains(t("closed")) ? "\(d.stateLabel) (\(t("closed")))" : d.stateLabel
        let holder = d.summary.owner + (d.team.map { ", \($0)" } ?? "")
        var out = [
            ScreenLine("\(d.summary.caseType) · \(state) · \(t("risk {0}", d.summary.riskLevel ?? t("not assessed"))) · \(t("held by {0}", holder)) · \(t("version {0}", "\(d.summary.version)"))"),
            ScreenLine(d.lastReviewedAt.map { t("Case file last reviewed on {0} by {1}", day($0), d.lastReviewedBy ?? "") } ?? t("The case file has not been reviewed yet")),
            ScreenLine(""),
            ScreenLine(t("Next steps"), .title),
        ]
        out += d.transitions.isEmpty ? [ScreenLine("  " + t("none"))] : d.transitions.flatMap { t -> [ScreenLine] in
            [ScreenLine("  \(t.available ? "✓" : "✗") \(t.label)")] + t.blockedBy.flatMap { wrap($0.message, width - 6).map { ScreenLine("      " + $0) } }
        }
        out += consent
        out += [ScreenLine(""), ScreenLine(t("Forms"), .title)]
        out += d.forms.isEmpty ? [ScreenLine("  " + t("none yet"))] : d.forms.map {
            ScreenLine("  \($0.title)\($0.entry > 1 ? " #\($0.entry)" : "") · \(t("version {0}", "\($0.version)")) · \($0.by), \(day($0.at))\($0.readable ? "" : " · " + t("not for your role"))")
        }
        out += [ScreenLine(""), ScreenLine(t("Open tasks"), .title)]
        out += d.tasks.isEmpty ? [ScreenLine("  " + t("none"))] : d.tasks.map { ScreenLine("  \($0.overdue ? "\(t("OVERDUE")) " : "")\(day($0.dueAt)) \($0.title) (\($0.assignee))") }
        if !d.approvals.isEmpty {
            out += [ScreenLine(""), ScreenLine(t("Approvals"), .title)]
            out += d.approvals.map { ScreenLine("  \($0.transitionLabel): \($0.status)\($0.decidedBy.map { " by \($0)" } ?? "")") }
        }
        out += [ScreenLine(""), ScreenLine(t("History"), .title)]
        out += d.history.map { ScreenLine("  \(day($0.at)) \($0.from.map { "\($0) → " } ?? "")\($0.to) (\($0.by))\($0.reason.map { ": \($0)" } ?? "")") }
        return out
    }

    /// Each act and whether consent allows it now; what is missing, in the policy's words.
    static func consentBody(_ lines: [TUIState.ConsentLine], width: Int, t: (String, String...) -> String) -> [ScreenLine] {
        guard !lines.isEmpty else { return [] }
        return [ScreenLine(""), ScreenLine(t("Consent"), .title)] + lines.flatMap { line -> [ScreenLine] in
            let mark = line.check.allowed ? "✓" : "✗"
            let override = line.check.overriddenBy.map { " (\(t("Allowed by a supervisor's override: {0}", $0)))" } ?? ""
            return [ScreenLine("  \(mark) \(line.act)\(override)")] + line.check.missing.flatMap { wrap($0.message, width - 6).map { ScreenLine("      " + $0) } }
        }
    }

    /// Conferences, referrals and transfers: when, with whom, where each stands.
    static func coordinationBody(_ c: TUIState.Coordination, t: (String, String...) -> String) -> [ScreenLine] {
        var out: [ScreenLine] = []
        if !c.referrals.isEmpty {
            out += [ScreenLine(""), ScreenLine(t("Referrals"), .title)]
            out += c.referrals.map { r in
                let shared = r.shared.isEmpty ? t("nothing") : r.shared.map(\.label).joined(separator: ", ")
                return ScreenLine("  \(day(r.sentAt)) \(r.serviceName) — \(r.organisation) · \(r.status)\(r.urgent ? " · " + t("urgent") : "") · \(t("shared: {0}", shared))")
            }
        }
        if !c.conferences.isEmpty {
            out += [ScreenLine(""), ScreenLine(t("Case conferences"), .title)]
            out += c.conferences.flatMap { conference -> [ScreenLine] in
                [ScreenLine("  \(day(conference.scheduledFor)) \(conference.status) · \(conference.participants.joined(separator: ", ")) · \(conference.agenda)")]
                    + (conference.outcome.map { [ScreenLine("      " + t("Decided: {0}", $0.decisions))] } ?? [])
            }
        }
        if !c.transfers.isEmpty {
            out += [ScreenLine(""), ScreenLine(t("Transfers"), .title)]
            out += c.transfers.map { t in
                ScreenLine("  \(day(t.createdAt)) \(t.mode) · \(t.status) · \(t.to ?? t.toTeam ?? t.recipientName ?? t.senderOrganisation ?? "")")
            }
        }
        return out
    }

    /// The steps out of the case's state: the chosen one highlighted, each blocked one with its reasons.
    static func stepsBody(_ d: CaseDetail, choice: Int, t: (String, String...) -> String) -> [ScreenLine] {
        var out = [ScreenLine("\(d.stateLabel) · \(t("version {0}", "\(d.summary.version)"))"), ScreenLine("")]
        for (index, step) in d.transitions.enumerated() {
            let mark = step.available ? "✓" : step.canRequestApproval ? "?" : "✗"
            out.append(ScreenLine("\(mark) \(step.label)\(step.canRequestApproval ? " — " + t("needs approval: Enter asks for it") : "")", index == choice ? .selected : .plain))
            out += step.blockedBy.map { ScreenLine("    \($0.message)") }
        }
        return out
    }

    static func tooSmall(width: Int, height: Int, language: String) -> [ScreenLine] {
        let message = TUIText.t("The terminal is {0}×{1}; Amana needs at least {2}×{3}. Make it larger.", language, "\(width)", "\(height)", "\(minimumWidth)", "\(minimumHeight)")
        var out = [ScreenLine(fit(message, max(width, 1)), .status)]
        while out.count < height { out.append(ScreenLine("")) }
        return Array(out.prefix(max(height, 1)))
    }

    /// The rows around the selection that fit in `height`.
    static func window<T>(_ items: [T], selection: Int, height: Int) -> [(Int, T)] {
        let first = max(0, min(selection - height / 2, items.count - height))
        return Array(items.enumerated().dropFirst(first).prefix(height)).map { ($0.offset, $0.element) }
    }

    /// Fixed-width columns (the last takes what is left). Cells are parted by a
    /// right-to-left mark, so that in Arabic the columns run right to left like
    /// their titles, whatever the cells hold; the mark is taken out before drawing.
    static func columns(_ values: [String], _ widths: [Int]) -> String {
        values.enumerated().map { index, value in
            index < widths.count ? pad(fit(value, widths[index] - 1), widths[index]) : value
        }.joined(separator: RightToLeft.cellMark)
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
