import AmanaCore
import Foundation

/// A transfer as stored on a case, sealed under the case key.
struct TransferContent: Codable {
    /// `package` (to another install), `internal` (to a colleague on this install) or `imported` (arrived in a package).
    var mode: String
    var reason: String?
    var recipientKey: String?
    var recipientFingerprint: String?
    var recipientName: String?
    var packageID: String?
    var packageDigest: String?
    /// The forms sent or received, `<form>#<entry>`.
    var forms: [String]
    /// Forms or answers of a received package this install could not take.
    var skipped: [String]
    var toUser: String?
    var toTeam: String?
    var senderFingerprint: String?
    var senderOrganisation: String?
    var events: [ActivityEvent]
    /// The consent override a transfer to another agency was proposed under (its approval's
    /// id): decided for this transfer, it lets its acceptance through as well.
    var consentOverride: String? = nil
}

/// A transfer as its readers see it.
public struct TransferView: Sendable, Equatable, Codable {
    public struct Event: Sendable, Equatable, Codable {
        public var at: Date
        public var by: String
        public var status: String
        public var reason: String?
    }

    public var id: String
    public var caseId: String
    public var caseNumber: String
    /// `package`, `internal` or `imported`.
    public var mode: String
    /// A package: `exported`, then `received` (its receipt came back). Internal: `proposed`,
    /// `accepted`, `declined`, `withdrawn`. Imported: `imported`.
    public var status: String
    public var version: Int
    public var reason: String?
    public var recipientName: String?
    public var recipientFingerprint: String?
    public var packageId: String?
    public var forms: [String]
    public var skipped: [String]
    /// The colleague it is proposed to (internal).
    public var to: String?
    /// The team it is proposed to (internal), any of whose case workers may accept it.
    public var toTeam: String?
    public var senderFingerprint: String?
    public var senderOrganisation: String?
    public var createdAt: Date
    public var createdBy: String
    public var history: [Event]
}

/// A package made for another install, and the transfer that records it.
public struct TransferExport: Sendable, Equatable {
    public var transfer: TransferView
    /// The package file's bytes.
    public var package: [UInt8]
}

/// What importing a package made: the new case, and the receipt to send back.
public struct TransferImport: Sendable, Equatable, Codable {
    public var caseId: String
    public var caseNumber: String
    public var packageId: String
    public var forms: [String]
    public var skipped: [String]
    /// The forms imported (`<form>#<entry>`) whose answers this install's definitions find
    /// incomplete or wrong (say, a question an overlay here requires): kept as sent, to complete.
    public var incomplete: [String]
    /// The signed receipt file, for the sending install (`amana transfer receipt`).
    public var receipt: String
}
