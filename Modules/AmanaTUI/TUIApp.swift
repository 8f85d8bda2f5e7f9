import AmanaCore
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

    public init(kernel: Kernel) {
        self.kernel = kernel
    }

    public func run() async {
        let terminal = Terminal()
        terminal.start()
        defer { terminal.stop() }
        while true {
            let (width, height) = terminal.size
            terminal.draw(Screens.lines(state, width: width, height: height))
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
                let person = try await actor()
                state.detail = try await kernel.caseDetail(id: id, actor: person, requestID: requestID)
                state.coordination = TUIState.Coordination(
                    conferences: try await kernel.conferences(caseID: id, actor: person, requestID: requestID),
                    referrals: try await kernel.referrals(caseID: id, actor: person, requestID: requestID),
                    transfers: try await kernel.transfers(caseID: id, actor: person, requestID: requestID))
                state.screen = .caseView
                state.scroll = 0
            case .completeTask(let caseID, let taskID):
                let person = try await actor()
                try await kernel.completeTask(caseID: caseID, taskID: taskID, actor: person, requestID: requestID)
                let selection = state.selection
                try await loadWork(person, requestID: requestID)
                state.selection = min(selection, max(state.tasks.count - 1, 0))
                state.status = "Task done."
            case .transition(let caseID, let transition, let version):
                let detail = try await kernel.performTransition(caseID: caseID, transition: transition, expectVersion: version, actor: try await actor(), requestID: requestID)
                state.detail = detail
                state.status = "Done: the case is now in \(detail.stateLabel)."
            case .requestApproval(let caseID, let transition):
                let approval = try await kernel.requestApproval(caseID: caseID, transition: transition, actor: try await actor(), requestID: requestID)
                state.detail = try await kernel.caseDetail(id: caseID, actor: try await actor(), requestID: requestID)
                state.status = "Asked a \(approval.approverRole) to approve '\(approval.transitionLabel)'."
            case .signOut:
                await signOut(status: "Signed out.")
            case .quit:
                break
            }
        } catch let error as AmanaError {
            if error.kind == .unauthenticated, token != nil {
                await signOut(status: "Your session ended; sign in again.")
            } else {
                if case .signIn = command { state.login.password = "" }
                state.status = error.message
            }
        } catch {
            state.status = "Something went wrong; nothing was changed."
        }
    }

    func loadWork(_ actor: Actor, requestID: String) async throws {
        state.tasks = try await kernel.myWork(actor: actor, requestID: requestID)
        state.screen = .work
        state.selection = 0
    }

    /// The signed-in person, checked anew for every action.
    func actor() async throws -> Actor {
        guard let token else { throw AmanaError.unauthenticated }
        return try await kernel.authenticate(token: token)
    }

    func signOut(status: String?) async {
        if let token { try? await kernel.signOut(token: token, requestID: UUID().uuidString.lowercased()) }
        token = nil
        state.signedOut(status: status)
    }
}
