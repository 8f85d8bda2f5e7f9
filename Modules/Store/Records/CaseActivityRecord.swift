import AmanaCore
import Foundation

/// Something done with others on a case: a case conference, a referral, a
/// transfer. What it says (who, what was shared, decisions, reasons) is
/// sealed under the case key; only what dashboards and timers need is plain,
/// and none of that names the person or the service.
public struct CaseActivityRecord: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case conference, referral, transfer }

    public var id: String
    public var caseID: CaseID
    public var kind: Kind
    /// Where it stands: `scheduled`, `held`, `cancelled` (a conference); `sent`,
    /// `accepted`, `declined`, `completed`, `no_answer` (a referral)...
    public var status: String
    /// Goes up by one with every change; a stale write is refused.
    public var version: Int
    public var createdAt: Date
    public var createdBy: UserID
    public var updatedAt: Date
    /// When it is to happen (a conference's date), if it has a date.
    public var dueAt: Date?
    public var urgent: Bool
    /// A plain category for counting, if a kind needs one (none of today's do: a
    /// referral's service type is sealed, it says too much); never a name.
    public var category: String?
    /// The people who may read its restricted part (a conference's participants).
    public var participants: [UserID]
    /// Its content: a JSON object sealed under the case key, bound to the activity.
    public var sealedContent: [UInt8]
    /// What only participants may read (a conference's confidential notes), sealed the same way.
    public var sealedRestricted: [UInt8]?

    public init(
        id: String, caseID: CaseID, kind: Kind, status: String, version: Int = 1, createdAt: Date, createdBy: UserID, updatedAt: Date, dueAt: Date? = nil,
        urgent: Bool = false, category: String? = nil, participants: [UserID] = [], sealedContent: [UInt8], sealedRestricted: [UInt8]? = nil
    ) {
        self.id = id
        self.caseID = caseID
        self.kind = kind
        self.status = status
        self.version = version
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.updatedAt = updatedAt
        self.dueAt = dueAt
        self.urgent = urgent
        self.category = category
        self.participants = participants
        self.sealedContent = sealedContent
        self.sealedRestricted = sealedRestricted
    }
}

extension CaseActivityRecord {
    /// The participants as stored: a JSON list of ids, sorted (a transfer's receiver is found by its quoted id).
    public static func storedParticipants(_ participants: [UserID]) -> String {
        String(decoding: JSONValue.array(participants.map(\.rawValue).sorted().map { .string($0) }).encoded(), as: UTF8.self)
    }

    /// The participants read back.
    public static func participants(storedAs text: String) -> [UserID] {
        guard case .array(let items)? = try? JSONValue(parsing: text.utf8) else { return [] }
        return items.compactMap { if case .string(let id) = $0 { UserID(id) } else { nil } }
    }
}
