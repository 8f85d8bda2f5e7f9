/// A value an expression works on: an answer in a submission, a literal, a result.
public enum Value: Equatable, Sendable, CustomStringConvertible {
    case null
    case number(Double)
    case text(String)
    case boolean(Bool)
    case date(Day)
    case list([Value])
    /// The rows of a repeat (sub-form): each row maps field id to value.
    case rows([[String: Value]])

    /// `null` and `false` are false; everything else is true.
    public var isTrue: Bool {
        if case .boolean(let b) = self { return b }
        return false
    }

    public var isNull: Bool { self == .null }

    /// Empty text, an empty list and no rows count as unanswered, like `null`.
    public var isEmpty: Bool {
        switch self {
        case .null: true
        case .text(let t): t.isBlank
        case .list(let l): l.isEmpty
        case .rows(let r): r.isEmpty
        default: false
        }
    }

    public var description: String {
        switch self {
        case .null: "null"
        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
        case .text(let t): t
        case .boolean(let b): b ? "true" : "false"
        case .date(let d): d.description
        case .list(let l): "[" + l.map(\.description).joined(separator: ", ") + "]"
        case .rows(let r): "\(r.count) rows"
        }
    }
}

import Foundation
