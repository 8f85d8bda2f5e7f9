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
        /// The forms of a case: those filled in, and those to fill in.
        case forms
        /// A form being filled in (``TUIState/editor``).
        case form
        /// A referral being written (``TUIState/referral``).
        case refer
        /// A supervisor's approvals waiting for a decision.
        case approvals
        /// A supervisor's dashboard: cases per worker and team, high risk, overdue, waiting.
        case caseload
    }


    /// What the consent policy says of one act on the case, as the case screen shows it.
    public struct ConsentLine: Sendable, Equatable {
        /// The act in the reader's words ("Referral to other services").
        public var act: String
        public var check: ConsentCheck

        public init(act: String, check: ConsentCheck) {
            self.act = act
            self.check = check
        }
    }

    /// A form of the case, as the forms screen lists it: an entry to open, or one to start.
    public struct FormChoice: Sendable, Equatable {
        public var formID: String
        public var title: String
        /// The entry to open; nil starts a new one.
        public var entry: Int?
        /// The version of the entry, when there is one.
        public var version: Int?
        /// Who saved it last and when, or what starting it means.
        public var note: String

        public init(formID: String, title: String, entry: Int?, version: Int?, note: String) {
            self.formID = formID
            self.title = title
            self.entry = entry
            self.version = version
            self.note = note
        }
    }

    /// The sign-in form: what was typed, and which field has the cursor.
    public struct LoginForm: Sendable, Equatable {
        public var username = ""
        public var password = ""
        /// 0: username, 1: password.
        public var focus = 0
    }

    public var screen: Screen = .login
    /// The language of the screens (`en`, `ar`): the person's preference once signed in, F2 switches.
    public var language = "en"
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
    /// The reason being typed for the chosen step (reopening a closed case asks for one; nil: not typing).
    public var stepReason: String?
    /// The consent check of each act on the open case: the same answer as the API's and the console's.
    public var consent: [ConsentLine] = []
    /// The referral being written.
    public var referral: ReferralComposer?
    /// Approvals waiting for the reader.
    public var approvals: [ApprovalView] = []
    /// Consent overrides given lately on cases the supervisor reads: flagged on the approvals screen.
    public var overrides: [ApprovalView] = []
    /// A purge approval waiting for its second `y` (approving a purge destroys the case for good).
    public var confirmingPurge: String?
    /// The reason being typed for rejecting the highlighted approval (nil: not rejecting).
    public var rejection: String?
    /// The supervisor's dashboard: the caseload per worker and team, and what is late or waiting.
    public var dashboard: Dashboard?
    /// The case's forms (the forms screen).
    public var caseForms: [FormChoice] = []
    /// The highlighted form on the forms screen.
    public var formSelection = 0
    /// The form being filled in.
    public var editor: FormEditor?
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
        let language = self.language
        self = TUIState()
        self.language = language
        self.status = status
    }

    /// A fixed text of the screens in the chosen language.
    func t(_ english: String, _ values: String...) -> String {
        TUIText.text(english, language, values)
    }
}
