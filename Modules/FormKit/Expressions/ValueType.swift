/// The static type of an expression, checked when a plugin loads.
public indirect enum ValueType: Equatable, Sendable, CustomStringConvertible {
    case number, text, boolean, date
    case list(ValueType)
    case rows
    /// The literal `null`: compatible with every type.
    case null
    /// Unknown (after an error already reported): compatible with everything,
    /// so one mistake does not cascade into many diagnostics.
    case any

    public var description: String {
        switch self {
        case .number: "a number"
        case .text: "text"
        case .boolean: "yes/no"
        case .date: "a date"
        case .list(let element): "a list of \(element)"
        case .rows: "repeat rows"
        case .null: "null"
        case .any: "any value"
        }
    }

    func accepts(_ other: ValueType) -> Bool {
        switch (self, other) {
        case (.any, _), (_, .any), (.null, _), (_, .null): true
        case (.list(let a), .list(let b)): a.accepts(b)
        default: self == other
        }
    }
}
