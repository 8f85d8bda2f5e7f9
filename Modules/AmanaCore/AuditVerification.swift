/// The result of walking the audit chain (`amana audit verify`).
public enum AuditVerification: Sendable, Equatable {
    /// Every entry links to the one before it.
    case intact(entries: Int64)
    /// The first entry whose hash or link does not match.
    case broken(atSequence: Int64, checked: Int64)
}
