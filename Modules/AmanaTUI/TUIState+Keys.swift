import Kernel

/// What each key does on each screen. Returns the command to run, if any; the
/// state changes that need no Kernel happen here.
extension TUIState {
    public mutating func handle(_ key: TUIKey) -> TUICommand? {
        if key == .ctrl("q") || key == .ctrl("c") { return .quit }
        // A key clears the last message; the terminal changing size does not.
        if key == .resize { return nil }
        if key != .none { status = nil }
        if search != nil { return handleSearch(key) }
        if key == .function(2), screen != .form, screen != .refer {
            language = language == "ar" ? "en" : "ar"
            // What the Kernel worded (steps, reasons, consent, form titles) is read again in the new language.
            switch screen {
            case .caseView, .forms: return detail.map { .openCase(id: $0.summary.id) }
            case .approvals: return .loadApprovals
            default: return nil
            }
        }
        switch screen {
        case .login: return handleLogin(key)
        case .work:
            if key == .character("d"), tasks.indices.contains(selection) { return .completeTask(caseID: tasks[selection].caseId, taskID: tasks[selection].id) }
            return handleList(key, count: tasks.count, open: tasks.indices.contains(selection) ? tasks[selection].caseId : nil)
        case .cases: return handleList(key, count: cases.count, open: cases.indices.contains(selection) ? cases[selection].id : nil)
        case .caseView: return handleCaseView(key)
        case .forms: return handleForms(key)
        case .form: return handleForm(key)
        case .refer: return handleReferral(key)
        case .approvals: return handleApprovals(key)
        case .caseload:
            let workers = dashboard?.workers ?? []
            if key == .enter, workers.indices.contains(selection) { return .loadCasesOf(owner: workers[selection].name) }
            return handleList(key, count: workers.count, open: nil)
        }
    }

    /// Approvals: open the case to review it, approve, or reject with a reason typed here.
    mutating func handleApprovals(_ key: TUIKey) -> TUICommand? {
        let current = approvals.indices.contains(selection) ? approvals[selection] : nil
        if var reason = rejection {
            if TypedLine.edit(&reason, key, limit: 1000) {
                rejection = reason
                return nil
            }
            switch key {
            case .escape: rejection = nil
            case .enter:
                guard let current else { return nil }
                guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                    status = t("Say why you reject it: the caseworker needs to know what to change.")
                    return nil
                }
                rejection = nil
                return .decideApproval(caseID: current.caseId, approvalID: current.id, approve: false, comment: reason)
            default: break
            }
            return nil
        }
        let confirming = confirmingPurge
        confirmingPurge = nil
        switch key {
        case .character("y"):
            guard let current else { return nil }
            // A purge cannot be undone: it takes a second y.
            if current.transition.hasPrefix("purge:"), confirming != current.id {
                confirmingPurge = current.id
                status = t("Approving this purges the case for good: y again purges it, any other key stops.")
                return nil
            }
            return .decideApproval(caseID: current.caseId, approvalID: current.id, approve: true, comment: nil)
        case .character("x"):
            if current != nil { rejection = "" }
            return nil
        default:
            return handleList(key, count: approvals.count, open: current?.caseId)
        }
    }

    /// Writing a referral: the composer handles the keys; the Kernel previews and sends.
    mutating func handleReferral(_ key: TUIKey) -> TUICommand? {
        guard var referral else {
            screen = .caseView
            return nil
        }
        let outcome = referral.handle(key)
        self.referral = referral
        switch outcome {
        case .preview?: return .previewReferral
        case .send?: return .sendReferral
        case .leave?:
            self.referral = nil
            screen = .caseView
        case .say(let text)?: status = text
        case nil: break
        }
        return nil
    }

    /// The case's forms: choose one to open or start.
    mutating func handleForms(_ key: TUIKey) -> TUICommand? {
        switch key {
        case .down: formSelection = min(formSelection + 1, max(caseForms.count - 1, 0))
        case .up: formSelection = max(formSelection - 1, 0)
        case .escape, .left: screen = .caseView
        case .enter:
            guard let detail, caseForms.indices.contains(formSelection) else { return nil }
            let choice = caseForms[formSelection]
            return .openForm(caseID: detail.summary.id, formID: choice.formID, entry: choice.entry)
        default: break
        }
        return nil
    }

    /// Filling in a form: the editor handles the keys; saving and leaving come back here.
    mutating func handleForm(_ key: TUIKey) -> TUICommand? {
        guard var editor else {
            screen = .caseView
            return nil
        }
        let outcome = editor.handle(key)
        self.editor = editor
        switch outcome {
        case .save?: return .saveForm
        case .leave?:
            self.editor = nil
            screen = .caseView
        case .say(let text)?: status = text
        case nil: break
        }
        return nil
    }

    mutating func handleLogin(_ key: TUIKey) -> TUICommand? {
        switch key {
        case .tab, .down, .backTab, .up:
            login.focus = 1 - login.focus
        case .enter:
            if login.focus == 0 { login.focus = 1; return nil }
            guard !login.username.isEmpty, !login.password.isEmpty else {
                status = t("Type your username and password.")
                return nil
            }
            return .signIn(username: login.username, password: login.password)
        case .backspace:
            if login.focus == 0 { _ = login.username.popLast() } else { _ = login.password.popLast() }
        case .character(let c) where !c.isNewline:
            // Pasting a long text must not grow a field without end.
            if login.focus == 0, login.username.count < 64 { login.username.append(c) }
            if login.focus == 1, login.password.count < 256 { login.password.append(c) }
        default:
            break
        }
        return nil
    }

    /// My work and the case list: move, open, switch, refresh, sign out.
    mutating func handleList(_ key: TUIKey, count: Int, open id: String?) -> TUICommand? {
        switch key {
        case .down: selection = min(selection + 1, max(count - 1, 0))
        case .up: selection = max(selection - 1, 0)
        case .pageDown: selection = min(selection + 10, max(count - 1, 0))
        case .pageUp: selection = max(selection - 10, 0)
        case .home: selection = 0
        case .end: selection = max(count - 1, 0)
        case .enter:
            returnTo = screen
            return id.map { .openCase(id: $0) }
        case .character("w"): return .loadWork
        case .character("c"): return .loadCases
        case .character("a"): return .loadApprovals
        case .character("l"): return .loadCaseload
        case .character("/"):
            search = ""
            screen = .cases
        case .character("r"):
            switch screen {
            case .work: return .loadWork
            case .approvals: return .loadApprovals
            case .caseload: return .loadCaseload
            default: return .loadCases
            }
        case .character("q"): return .signOut
        default: break
        }
        return nil
    }

    /// Choosing a step: Enter takes it (or asks for the approval it waits for), Esc leaves.
    mutating func handleStepChoice(_ key: TUIKey, choice: Int, detail: CaseDetail) -> TUICommand? {
        let steps = detail.transitions
        if var reason = stepReason {
            if TypedLine.edit(&reason, key, limit: 1000) {
                stepReason = reason
                return nil
            }
            switch key {
            case .escape: stepReason = nil
            case .enter:
                guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                    status = t("Say why the case is reopened.")
                    return nil
                }
                stepChoice = nil
                stepReason = nil
                return .transition(caseID: detail.summary.id, transition: steps[choice].id, version: detail.summary.version, reason: reason)
            default: break
            }
            return nil
        }
        switch key {
        case .down: stepChoice = min(choice + 1, steps.count - 1)
        case .up: stepChoice = max(choice - 1, 0)
        case .escape: stepChoice = nil
        case .enter:
            let step = steps[choice]
            // Leaving a closed case (reopening) is done only with a reason.
            if step.available, detail.summary.closed {
                stepReason = ""
                return nil
            }
            if step.available {
                stepChoice = nil
                return .transition(caseID: detail.summary.id, transition: step.id, version: detail.summary.version, reason: nil)
            }
            if step.canRequestApproval {
                stepChoice = nil
                return .requestApproval(caseID: detail.summary.id, transition: step.id)
            }
            status = t("Not yet: {0}", step.blockedBy.map(\.message).joined(separator: " "))
        default: break
        }
        return nil
    }

    /// Typing a search: Enter runs it, Esc leaves it.
    mutating func handleSearch(_ key: TUIKey) -> TUICommand? {
        var text = search ?? ""
        if TypedLine.edit(&text, key, limit: 100) {
            search = text
            return nil
        }
        switch key {
        case .escape: search = nil
        case .enter:
            search = nil
            let wanted = text.trimmingCharacters(in: .whitespaces)
            return wanted.isEmpty ? nil : .search(wanted)
        default: break
        }
        return nil
    }

    mutating func handleCaseView(_ key: TUIKey) -> TUICommand? {
        if let choice = stepChoice, let detail { return handleStepChoice(key, choice: choice, detail: detail) }
        switch key {
        case .character("t"):
            if detail?.transitions.isEmpty == false { stepChoice = 0 } else { status = t("This case has no step to take from here.") }
        case .character("f"):
            screen = .forms
            formSelection = 0
        case .character("k"): return detail.map { .openForm(caseID: $0.summary.id, formID: "core/consent", entry: nil) }
        case .character("s"): return detail.map { .startReferral(caseID: $0.summary.id) }
        case .character("p"): return detail.map { .requestConsentApproval(caseID: $0.summary.id) }
        case .character("n"): return detail.map { .openForm(caseID: $0.summary.id, formID: "core/case-note", entry: nil) }
        case .down: scroll += 1
        case .up: scroll = max(scroll - 1, 0)
        case .pageDown: scroll += 10
        case .pageUp: scroll = max(scroll - 10, 0)
        case .home: scroll = 0
        case .escape, .left, .character("b"):
            screen = returnTo
            scroll = 0
        case .character("r"): return detail.map { .openCase(id: $0.summary.id) }
        case .character("w"): return .loadWork
        case .character("c"): return .loadCases
        case .character("q"): return .signOut
        default: break
        }
        return nil
    }
}
