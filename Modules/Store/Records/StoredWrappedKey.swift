import AmanaCore

/// A data key as stored, wrapped under a master key version: a case's, or a
/// supervision meeting's. What a key rotation reads and writes back re-wrapped.
public struct StoredWrappedKey: Sendable, Equatable {
    public enum Holder: String, Sendable {
        case caseFile = "case_file"
        case supervision = "supervision_session"
    }

    public var holder: Holder
    public var id: String
    public var bytes: [UInt8]
    public var keyVersion: UInt32

    public init(holder: Holder, id: String, bytes: [UInt8], keyVersion: UInt32) {
        self.holder = holder
        self.id = id
        self.bytes = bytes
        self.keyVersion = keyVersion
    }
}
