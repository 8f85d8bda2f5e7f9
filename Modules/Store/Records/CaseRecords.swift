import AmanaCore
import Foundation

/// The envelope of a case: who holds it and its wrapped data key. The content
/// lives in ``CaseFieldRecord``s, encrypted under that key.
public struct CaseRecord: Sendable, Equatable {
    public var id: CaseID
    /// Agency code + year + sequence (`ACME-2026-000042`): says nothing about the person.
    public var caseNumber: String
    /// The plugin's case type: `gbv`, `child-protection`, `general-protection`.
    public var caseType: String
    public var ownerID: UserID
    public var teamID: TeamID?
    public var agencyID: AgencyID
    /// Nil once the case has been crypto-shredded.
    public var wrappedKey: [UInt8]?
    public var keyVersion: UInt32
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int

    public init(
        id: CaseID, caseNumber: String = "", caseType: String, ownerID: UserID, teamID: TeamID?, agencyID: AgencyID,
        wrappedKey: [UInt8]?, keyVersion: UInt32, createdAt: Date, updatedAt: Date, version: Int = 1
    ) {
        self.id = id
        self.caseNumber = caseNumber
        self.caseType = caseType
        self.ownerID = ownerID
        self.teamID = teamID
        self.agencyID = agencyID
        self.wrappedKey = wrappedKey
        self.keyVersion = keyVersion
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }
}

/// One encrypted field of a case. Identifying fields also carry a blind index.
public struct CaseFieldRecord: Sendable, Equatable {
    public var caseID: CaseID
    public var fieldID: String
    public var ciphertext: [UInt8]
    public var blindIndex: [UInt8]?

    public init(caseID: CaseID, fieldID: String, ciphertext: [UInt8], blindIndex: [UInt8]?) {
        self.caseID = caseID
        self.fieldID = fieldID
        self.ciphertext = ciphertext
        self.blindIndex = blindIndex
    }
}
