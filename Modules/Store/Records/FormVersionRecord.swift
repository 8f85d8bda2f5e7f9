import Foundation

/// One version of a form as the install served it: the client document
/// (JSON), kept so that submissions made with it stay readable.
public struct FormVersionRecord: Sendable, Equatable {
    public var formID: String
    public var version: Int
    public var document: String
    public var recordedAt: Date

    public init(formID: String, version: Int, document: String, recordedAt: Date) {
        self.formID = formID
        self.version = version
        self.document = document
        self.recordedAt = recordedAt
    }
}
