import AmanaCore
import Foundation

/// An individual supervision meeting with a staff member, kept apart from any
/// case: its notes sealed under a key of its own (wrapped like a case key).
public struct SupervisionRecord: Sendable, Equatable {
    public var id: String
    public var agencyID: AgencyID
    public var staffID: UserID
    public var supervisorID: UserID
    /// The day it was held (`2026-11-29`).
    public var heldOn: String
    public var createdAt: Date
    public var wrappedKey: [UInt8]
    public var keyVersion: UInt32
    public var sealedNotes: [UInt8]

    public init(
        id: String, agencyID: AgencyID, staffID: UserID, supervisorID: UserID, heldOn: String, createdAt: Date, wrappedKey: [UInt8], keyVersion: UInt32,
        sealedNotes: [UInt8]
    ) {
        self.id = id
        self.agencyID = agencyID
        self.staffID = staffID
        self.supervisorID = supervisorID
        self.heldOn = heldOn
        self.createdAt = createdAt
        self.wrappedKey = wrappedKey
        self.keyVersion = keyVersion
        self.sealedNotes = sealedNotes
    }
}
