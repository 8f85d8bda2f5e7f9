import AmanaCore
import FormKit
import Foundation
import Identity
import Kernel

/// `amana tui`: a caseworker's day in the terminal, over the Kernel only, on the
/// same install as the API and the console, at the same time. Each action is
/// made with the person's session, checked by the Kernel as for the API: a
/// session that ends (idle, disabled account, signed out elsewhere) ends here too.
public final class TUIApp {
    let kernel: Kernel
    var state = TUIState()
    var token: String?
    var lastKey = Date()
    /// Set by a sign-out: the next drawing clears the whole terminal first.
    var clearsScreen = false

    public init(kernel: Kernel) {
        self.kernel = kernel
    }

    public func run() async {
        let terminal = Terminal()
        terminal.start()
        defer { terminal.stop() }
        while true {
            let (width, height) = terminal.size
            terminal.draw(Screens.lines(state, width: width, height: height), clearingFirst: clearsScreen)
            clearsScreen = false
            let key = terminal.readKey()
            if key == .none {
                // The idle limit: the session ends and the screen is cleared of the case.
                if token != nil, Date().timeIntervalSince(lastKey) >= kernel.config.sessionIdle {
                    await signOut(status: "Signed out after \(Int(kernel.config.sessionIdle / 60)) minutes without a key.")
                }
                continue
            }
            lastKey = Date()
            guard let command = state.handle(key) else { continue }
            if command == .quit {
                await signOut(status: nil)
                return
            }
            await perform(command)
        }
    }

    func perform(_ command: TUICommand) async {
        let requestID = UUID().uuidString.lowercased()
        do {
            switch command {
            case .signIn(let username, let password):
                let signIn = try await kernel.signIn(username: username, password: password, requestID: requestID)
                token = signIn.token
                state.username = signIn.actor.username
                // The screens speak the person's language from here on (F2 switches).
                if kernel.definitions.language(signIn.actor.language) != nil { state.language = signIn.actor.language }
                state.login = TUIState.LoginForm()
                try await loadWork(signIn.actor, requestID: requestID)
            case .loadWork:
                try await loadWork(try await actor(), requestID: requestID)
            case .loadCases:
                state.cases = try await kernel.listCases(CaseFilter(limit: 200), actor: try await actor(), requestID: requestID).cases
                state.searchedFor = nil
                state.screen = .cases
                state.selection = 0
            case .search(let text):
                state.cases = try await kernel.findCases(text, actor: try await actor(), requestID: requestID)
                state.searchedFor = text
                state.screen = .cases
                state.selection = 0
            case .openCase(let id):
                try await openCase(id, actor: try await actor(), requestID: requestID)
            case .openForm(let caseID, let formID, let entry):
                try await openForm(caseID: caseID, formID: formID, entry: entry, actor: try await actor(), requestID: requestID)
            case .saveForm:
                try await saveForm(actor: try await actor(), requestID: requestID)
            case .startReferral(let caseID):
                let person = try await actor()
                guard let detail = state.detail, detail.summary.id == caseID else { return }
                state.referral = ReferralComposer(
                    caseID: caseID, caseNumber: detail.summary.caseNumber, language: state.language,
                    services: try await kernel.services(ServiceFilter(), actor: person, requestID: requestID),
                    shareable: try await kernel.shareableAnswers(caseID: caseID, actor: person, requestID: requestID).map {
                        ReferralComposer.Shareable(path: "\($0.form)/\($0.field)", label: "\($0.formTitle) — \($0.label)", text: $0.text)
                    })
                state.screen = .refer
            case .previewReferral:
                guard var referral = state.referral, let draft = referral.draft else { return }
                referral.preview = try await kernel.previewReferral(caseID: referral.caseID, draft: draft, actor: try await actor(), requestID: requestID)
                state.referral = referral
            case .sendReferral:
                guard let referral = state.referral, let draft = referral.draft else { return }
                let person = try await actor()
                let sent = try await kernel.sendReferral(caseID: referral.caseID, draft: draft, actor: person, requestID: requestID)
                state.referral = nil
                try await openCase(referral.caseID, actor: person, requestID: requestID)
                state.status = state.t("Referred to {0}; the follow-up is on your work list.", sent.serviceName)
            case .completeTask(let caseID, let taskID):
                let person = try await actor()
                try await kernel.completeTask(caseID: caseID, taskID: taskID, actor: person, requestID: requestID)
                let selection = state.selection
                try await loadWork(person, requestID: requestID)
                state.selection = min(selection, max(state.tasks.count - 1, 0))
                state.status = state.t("Task done.")
            case .transition(let caseID, let transition, let version, let reason):
                let person = try await actor()
                let detail = try await kernel.performTransition(
                    caseID: caseID, transition: transition, reason: reason, expectVersion: version, actor: person, requestID: requestID)
                // The new state changes what consent, forms and steps say: read the case again.
                try await openCase(caseID, actor: person, requestID: requestID)
                state.status = state.t("Done: the case is now in {0}.", detail.stateLabel)
            case .requestApproval(let caseID, let transition):
                let person = try await actor()
                let approval = try await kernel.requestApproval(caseID: caseID, transition: transition, actor: person, requestID: requestID)
                try await openCase(caseID, actor: person, requestID: requestID)
                state.status = state.t("Asked a {0} to approve “{1}”.", approval.approverRole, approval.transitionLabel)
            case .requestConsentApproval(let caseID):
                let person = try await actor()
                let approval = try await kernel.requestConsentApproval(caseID: caseID, actor: person, requestID: requestID)
                try await openCase(caseID, actor: person, requestID: requestID)
                state.status = state.t("Asked a {0} to approve serving the child under: {1}.", approval.approverRole, approval.transitionLabel)
            case .loadApprovals:
                let person = try await actor()
                state.approvals = try await kernel.pendingApprovals(actor: person, requestID: requestID)
                state.overrides = try await kernel.consentOverrides(actor: person, requestID: requestID)
                state.screen = .approvals
                state.selection = min(state.selection, max(state.approvals.count - 1, 0))
            case .decideApproval(let caseID, let approvalID, let approve, let comment):
                let person = try await actor()
                let decided = try await kernel.decideApproval(caseID: caseID, approvalID: approvalID, approve: approve, comment: comment, actor: person, requestID: requestID)
                state.approvals = try await kernel.pendingApprovals(actor: person, requestID: requestID)
                state.selection = min(state.selection, max(state.approvals.count - 1, 0))
                state.status = state.t(approve ? "Approved: {0} on {1}." : "Rejected: {0} on {1}; the caseworker sees why.", decided.transitionLabel, decided.caseNumber)
            case .loadCaseload:
                state.dashboard = try await kernel.dashboard(actor: try await actor(), requestID: requestID)
                state.screen = .caseload
                state.selection = 0
            case .loadCasesOf(let owner):
                state.cases = try await kernel.listCases(CaseFilter(owner: owner, limit: 200), actor: try await actor(), requestID: requestID).cases.filter { !$0.closed }
                state.searchedFor = owner
                state.screen = .cases
                state.selection = 0
            case .signOut:
                await signOut(status: state.t("Signed out."))
            case .quit:
                break
            }
        } catch let error as AmanaError {
            if error.kind == .unauthenticated, token != nil {
                await signOut(status: state.t("Your session ended; sign in again."))
            } else {
                if case .signIn = command { state.login.password = "" }
                state.status = error.message
            }
        } catch {
            state.status = state.t("Something went wrong; nothing was changed.")
        }
    }

    /// A case with what it shares (conferences, referrals, transfers) and the forms it can be filled in with.
    func openCase(_ id: String, actor person: Actor, requestID: String) async throws {
        let detail = try await kernel.caseDetail(id: id, actor: person, requestID: requestID)
        state.detail = detail
        state.coordination = TUIState.Coordination(
            conferences: try await kernel.conferences(caseID: id, actor: person, requestID: requestID),
            referrals: try await kernel.referrals(caseID: id, actor: person, requestID: requestID),
            transfers: try await kernel.transfers(caseID: id, actor: person, requestID: requestID))
        state.caseForms = formChoices(detail, actor: person)
        state.consent = try await kernel.consentOverview(caseID: id, actor: person, requestID: requestID).map { TUIState.ConsentLine(act: $0.label, check: $0.check) }
        state.screen = .caseView
        state.scroll = 0
    }

    /// Each entry of each form the case holds, then a line to start each form not held once (or held many times).
    func formChoices(_ detail: CaseDetail, actor: Actor) -> [TUIState.FormChoice] {
        kernel.formsUsed(byCaseType: detail.summary.caseType, actor: actor).flatMap { form -> [TUIState.FormChoice] in
            let title = form.title.text(state.language)
            let entries = detail.forms.filter { $0.formId == form.id && $0.readable }
            var choices = entries.map { entry in
                TUIState.FormChoice(
                    formID: form.id, title: form.multiple ? "\(title) #\(entry.entry)" : title, entry: entry.entry, version: entry.version,
                    note: state.t("version {0}", "\(entry.version)") + " · \(entry.by), \(Screens.day(entry.at))")
            }
            if form.multiple || entries.isEmpty {
                choices.append(TUIState.FormChoice(formID: form.id, title: title, entry: nil, version: nil, note: state.t(form.multiple ? "New entry" : "Fill in")))
            }
            return choices
        }
    }

    /// Opens an entry of a form (or a new one) in the editor, with the answers and version read.
    func openForm(caseID: String, formID: String, entry: Int?, actor person: Actor, requestID: String) async throws {
        guard let detail = state.detail, detail.summary.id == caseID,
            let form = kernel.formsUsed(byCaseType: detail.summary.caseType, actor: person).first(where: { $0.id == formID })
        else {
            state.status = state.t("This programme does not use that form, or your role does not work on it.")
            return
        }
        // A form held once is changed in place: open what is there.
        let target = entry ?? (form.multiple ? nil : detail.forms.first { $0.formId == formID }?.entry)
        var answers: [String: JSONValue] = [:]
        var version: Int?
        if let target {
            let read = try await kernel.readSubmission(caseID: caseID, formID: formID, entry: target, actor: person, requestID: requestID)
            answers = read.values
            version = read.version
        }
        state.editor = FormEditor(
            caseID: caseID, caseNumber: detail.summary.caseNumber, form: form, lookups: kernel.definitions.lookups, messages: kernel.definitions.messages,
            language: state.language, entry: target, version: version, answers: answers,
            attachments: detail.attachments.map { FormEditor.Choice(code: $0.id, label: $0.name) }, today: Day(Date()))
        state.screen = .form
    }

    /// Saves the form through the Kernel. What cannot be saved keeps every
    /// answer on screen: the Kernel's problems under their fields, a change
    /// made meanwhile shown for re-applying, a busy database for trying again.
    func saveForm(actor person: Actor, requestID: String) async throws {
        guard var editor = state.editor else { return }
        do {
            let saved = try await kernel.submitForm(
                caseID: editor.caseID, formID: editor.form.id, entry: editor.entry, values: editor.submission, expectVersion: editor.version,
                actor: person, requestID: requestID)
            state.editor = nil
            try await openCase(editor.caseID, actor: person, requestID: requestID)
            state.status = state.t("Saved: {0}, version {1}.", editor.form.title.text(state.language), "\(saved.version)")
        } catch let error as AmanaError where error.kind == .preconditionFailed {
            let current = try await kernel.readSubmission(caseID: editor.caseID, formID: editor.form.id, entry: editor.entry ?? 1, actor: person, requestID: requestID)
            editor.conflicted(version: current.version, by: current.by, theirs: current.values)
            state.editor = editor
        } catch let error as AmanaError where !error.fieldProblems.isEmpty {
            editor.serverProblems = error.fieldProblems
            editor.showAllProblems = true
            state.editor = editor
            state.status = error.message
        } catch let error as AmanaError where error.code == "store-busy" {
            state.status = state.t("The database is busy (another save is under way); nothing is lost: Ctrl-S tries again.")
        }
    }

    func loadWork(_ actor: Actor, requestID: String) async throws {
        state.tasks = try await kernel.myWork(actor: actor, requestID: requestID)
        state.screen = .work
        state.selection = 0
    }

    /// The signed-in person, checked anew for every action, speaking the
    /// language chosen on screen: the Kernel's words (steps, reasons, consent) follow it.
    func actor() async throws -> Actor {
        guard let token else { throw AmanaError.unauthenticated }
        var person = try await kernel.authenticate(token: token)
        person.language = state.language
        return person
    }

    func signOut(status: String?) async {
        if let token { try? await kernel.signOut(token: token, requestID: UUID().uuidString.lowercased()) }
        token = nil
        state.signedOut(status: status)
        clearsScreen = true
    }
}
