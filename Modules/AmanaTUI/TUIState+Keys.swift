import Kernel

/// What each key does on each screen. Returns the command to run, if any; the
/// state changes that need no Kernel happen here.
extension TUIState {
    public mutating func handle(_ key: TUIKey) -> TUICommand? {
        if key == .ctrl("q") || key == .ctrl("c") { return .quit }
        if key != .none { status = nil }
        if search != nil { return handleSearch(key) }
        switch screen {
        case .login: return handleLogin(key)
        case .work:
            if key == .character("d"), tasks.indices.contains(selection) { return .completeTask(caseID: tasks[selection].caseId, taskID: tasks[selection].id) }
            return handleList(key, count: tasks.count, open: tasks.indices.contains(selection) ? tasks[selection].caseId : nil)
        case .cases: return handleList(key, count: cases.count, open: cases.indices.contains(selection) ? cases[selection].id : nil)
        case .caseView: return handleCaseView(key)
        }
    }

    mutating func handleLogin(_ key: TUIKey) -> TUICommand? {
        switch key {
        case .tab, .down, .backTab, .up:
            login.focus = 1 - login.focus
        case .enter:
            if login.focus == 0 { login.focus = 1; return nil }
            guard !login.username.isEmpty, !login.password.isEmpty else {
                status = "Type your username and password."
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
        case .character("/"):
            search = ""
            screen = .cases
        case .character("r"): return screen == .work ? .loadWork : .loadCases
        case .character("q"): return .signOut
        default: break
        }
        return nil
    }

    /// Choosing a step: Enter takes it (or asks for the approval it waits for), Esc leaves.
    mutating func handleStepChoice(_ key: TUIKey, choice: Int, detail: CaseDetail) -> TUICommand? {
        let steps = detail.transitions
        switch key {
        case .down: stepChoice = min(choice + 1, steps.count - 1)
        case .up: stepChoice = max(choice - 1, 0)
        case .escape: stepChoice = nil
        case .enter:
            let step = steps[choice]
            if step.available {
                stepChoice = nil
                return .transition(caseID: detail.summary.id, transition: step.id, version: detail.summary.version)
            }
            if step.canRequestApproval {
                stepChoice = nil
                return .requestApproval(caseID: detail.summary.id, transition: step.id)
            }
            status = "Not yet: " + step.blockedBy.map(\.message).joined(separator: " ")
        default: break
        }
        return nil
    }

    /// Typing a search: Enter runs it, Esc leaves it.
    mutating func handleSearch(_ key: TUIKey) -> TUICommand? {
        switch key {
        case .escape: search = nil
        case .backspace: _ = search?.popLast()
        case .enter:
            let text = (search ?? "").trimmingCharacters(in: .whitespaces)
            search = nil
            return text.isEmpty ? nil : .search(text)
        case .character(let c) where !c.isNewline && (search?.count ?? 0) < 100: search?.append(c)
        default: break
        }
        return nil
    }

    mutating func handleCaseView(_ key: TUIKey) -> TUICommand? {
        if let choice = stepChoice, let detail { return handleStepChoice(key, choice: choice, detail: detail) }
        switch key {
        case .character("t"):
            if detail?.transitions.isEmpty == false { stepChoice = 0 } else { status = "This case has no step to take from here." }
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
