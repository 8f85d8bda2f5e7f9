import AmanaCore

/// A value as a client sends it (a JSON value), before validation. The same
/// type the kernel stores and the front ends send back.
public typealias SubmittedValue = JSONValue

extension JSONValue {
    /// What a person would call this kind of value, for messages.
    var kind: String {
        switch self {
        case .null: "nothing"
        case .bool: "yes/no"
        case .number: "a number"
        case .string: "text"
        case .array: "a list"
        case .object: "an object"
        }
    }
}
