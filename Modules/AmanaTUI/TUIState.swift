import AmanaCore
import Kernel

/// Everything the screens show. Screens are pure functions of this state
/// (``Screens/lines(_:width:height:)``), so they are tested without a terminal.
public struct TUIState: Sendable {
    public enum Screen: Sendable, Equatable {
        case login
        case work
        case cases
        case caseView
    }

    /// The sign-in form: what was typed, and which field has the cursor.
    public struct LoginForm: Sendable, Equatable {
        public var username = ""
        public var password = ""
        /// 0: username, 1: password.
        public var focus = 0
    }

    public var screen: Screen = .login
    public var login = LoginForm()
    /// Who is signed in (nil on the sign-in screen).
    public var username: String?
    public var tasks: [TaskView] = []
    public var cases: [CaseSummary] = []
    public var detail: CaseDetail?
    /// What the case shares with others: its conferences, referrals and transfers.
    public var coordination = Coordination()
    /// The highlighted row of a list.
    public var selection = 0
    /// The first line shown of a long view.
    public var scroll = 0
    /// What is being typed in the search line of the case list (nil: not searching).
    public var search: String?
    /// The search the case list shows the results of, if it does.
    public var searchedFor: String?
    /// On a case: the step highlighted while choosing one to take (nil: not choosing).
    public var stepChoice: Int?
    /// Where Esc goes back to from a case.
    public var returnTo: Screen = .work
    /// One line for what just happened or went wrong.
    public var status: String?

    /// A case's conferences, referrals and transfers, as the case screen lists them.
    public struct Coordination: Sendable, Equatable {
        public var conferences: [ConferenceView] = []
        public var referrals: [ReferralView] = []
        public var transfers: [TransferView] = []
    }

    public init() {}

    /// Back to an empty sign-in screen: nothing of the last person's work stays in memory or on screen.
    public mutating func signedOut(status: String?) {
        self = TUIState()
        self.status = status
    }
}
