import Kernel

/// A referral being written in the terminal: choose a service from the
/// directory, pick the answers to share, then see what would go and the
/// consent check — the Kernel's preview — before sending anything.
public struct ReferralComposer: Sendable {
    public enum Step: Sendable, Equatable {
        case service, answers, review
    }

    /// An answer of the case that can go with the referral (`core/registration/given_name`).
    public struct Shareable: Sendable, Equatable {
        public var path: String
        public var label: String
        public var text: String

        public init(path: String, label: String, text: String) {
            self.path = path
            self.label = label
            self.text = text
        }
    }

    /// What a key asks of the application.
    public enum Outcome: Equatable, Sendable {
        case preview, send, leave
        case say(String)
    }

    public let caseID: String
    public let caseNumber: String
    public let language: String
    public var step = Step.service
    public var services: [ServiceEntry]
    public var shareable: [Shareable]
    public var search = ""
    public var selection = 0
    public var service: ServiceEntry?
    /// The answers picked, in the order of the list.
    public var chosen: [String] = []
    public var reason = ""
    public var urgent = false
    public var confirmProfile = false
    /// The Kernel's answer for the draft as it stands: what goes, the consent check.
    public var preview: ReferralPreview?

    public init(caseID: String, caseNumber: String, language: String, services: [ServiceEntry], shareable: [Shareable]) {
        self.caseID = caseID
        self.caseNumber = caseNumber
        self.language = language
        self.services = services
        self.shareable = shareable
    }

    /// The services whose name, organisation, kind of help or place holds the search.
    public var shownServices: [ServiceEntry] {
        let text = search.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return services }
        return services.filter { s in
            [s.name, s.organisation, s.serviceTypeLabel, s.locationLabel].contains { $0.localizedCaseInsensitiveContains(text) }
        }
    }

    public var draft: ReferralDraft? {
        service.map {
            ReferralDraft(
                service: $0.id, fields: shareable.map(\.path).filter(chosen.contains), reason: reason.isEmpty ? nil : reason, urgent: urgent,
                confirmProfile: confirmProfile)
        }
    }

    public mutating func handle(_ key: TUIKey) -> Outcome? {
        switch step {
        case .service: return handleService(key)
        case .answers: return handleAnswers(key)
        case .review: return handleReview(key)
        }
    }

    mutating func handleService(_ key: TUIKey) -> Outcome? {
        let shown = shownServices
        switch key {
        case .escape: return .leave
        case .down: selection = min(selection + 1, max(shown.count - 1, 0))
        case .up: selection = max(selection - 1, 0)
        case .backspace:
            _ = search.popLast()
            selection = 0
        case .character(let c) where search.count < 60:
            search.append(c)
            selection = 0
        case .enter:
            guard shown.indices.contains(selection) else { return nil }
            service = shown[selection]
            step = .answers
            selection = 0
        default: break
        }
        return nil
    }

    mutating func handleAnswers(_ key: TUIKey) -> Outcome? {
        switch key {
        case .escape:
            step = .service
            selection = services.firstIndex { $0.id == service?.id } ?? 0
        case .down: selection = min(selection + 1, max(shareable.count - 1, 0))
        case .up: selection = max(selection - 1, 0)
        case .character(" "):
            guard shareable.indices.contains(selection) else { break }
            let path = shareable[selection].path
            if let index = chosen.firstIndex(of: path) { chosen.remove(at: index) } else { chosen.append(path) }
        case .enter:
            step = .review
            return .preview
        default: break
        }
        return nil
    }

    mutating func handleReview(_ key: TUIKey) -> Outcome? {
        if TypedLine.edit(&reason, key, limit: 1000) { return nil }
        switch key {
        case .escape: step = .answers
        case .ctrl("t"): urgent.toggle()
        case .ctrl("p"):
            confirmProfile.toggle()
            return .preview
        case .ctrl("s"):
            guard let preview else { return .preview }
            guard preview.consent.allowed, preview.sharingConsent?.allowed ?? true, preview.notAgreed.isEmpty else {
                return .say(TUIText.t("Not sent: the consent check says what is missing.", language))
            }
            if preview.profileWarning != nil, !confirmProfile { return .say(TUIText.t("Confirm the referral to a service that does not list the person's profile (Ctrl-P), or choose another.", language)) }
            return .send
        default: break
        }
        return nil
    }
}
