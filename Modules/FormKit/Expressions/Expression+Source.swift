extension Expression {
    /// The expression written back as source, in a canonical form (nested
    /// operations in parentheses): sent to clients that evaluate `show_if`
    /// themselves, and parsed again to the same expression.
    public var source: String { write(nested: false) }

    func write(nested: Bool) -> String {
        switch self {
        case .literal(let value, _): Self.literal(value)
        case .list(let items, _): "[" + items.map { $0.write(nested: false) }.joined(separator: ", ") + "]"
        case .field(let name, _): name
        case .unary(let op, let e, _): op == "not" ? "not " + e.write(nested: true) : op + e.write(nested: true)
        case .binary(let op, let a, let b, _):
            nested ? "(\(a.write(nested: true)) \(op) \(b.write(nested: true)))" : "\(a.write(nested: true)) \(op) \(b.write(nested: true))"
        case .call(let name, let args, _): name + "(" + args.map { $0.write(nested: false) }.joined(separator: ", ") + ")"
        }
    }

    static func literal(_ value: Value) -> String {
        switch value {
        case .null: "null"
        case .boolean(let b): b ? "true" : "false"
        case .number(let n): n.rounded() == n && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .text(let t): "'" + t.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        case .date(let d): "date('\(d)')"
        case .list(let items): "[" + items.map(literal).joined(separator: ", ") + "]"
        case .rows: "[]"
        }
    }
}
