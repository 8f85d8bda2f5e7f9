/// What an expression is evaluated against: the answers in scope and today's date.
public struct EvaluationContext: Sendable {
    /// The answers visible to the expression (inside a repeat row: row first, then the form).
    public var values: [String: Value]
    /// "Today", injected so that tests and timers agree on the date.
    public var today: Day
    /// Where the uses of today that could change an outcome are noted, when someone asks.
    public var horizon: DayHorizon?

    public init(values: [String: Value], today: Day, horizon: DayHorizon? = nil) {
        self.values = values
        self.today = today
        self.horizon = horizon
    }
}

extension Expression {
    /// Evaluates the expression. Total: never throws, never loops; operations on
    /// unanswered fields or of the wrong type give `null`.
    public func evaluate(in context: EvaluationContext) -> Value {
        switch self {
        case .literal(let value, _):
            return value
        case .list(let items, _):
            return .list(items.map { $0.evaluate(in: context) })
        case .field(let name, _):
            return context.values[name] ?? .null
        case .unary(let op, let operand, _):
            let value = operand.evaluate(in: context)
            if op == "not" { return .boolean(!value.isTrue) }
            if case .number(let n) = value { return .number(-n) }
            return .null
        case .binary(let op, let l, let r, _):
            // and/or short-circuit: the right side is not evaluated when the left decides.
            if op == "and" { return .boolean(l.evaluate(in: context).isTrue && r.evaluate(in: context).isTrue) }
            if op == "or" { return .boolean(l.evaluate(in: context).isTrue || r.evaluate(in: context).isTrue) }
            return Operators.apply(op, l.evaluate(in: context), r.evaluate(in: context))
        case .call(let name, let arguments, _):
            guard let function = Functions.all[name], function.parameters.count == arguments.count else { return .null }
            return function.apply(arguments.map { $0.evaluate(in: context) }, context)
        }
    }
}

enum Operators {
    static func apply(_ op: String, _ a: Value, _ b: Value) -> Value {
        let (a, b) = coerceDates(a, b)
        switch op {
        case "==": return .boolean(equal(a, b))
        case "!=": return .boolean(!equal(a, b))
        case "<", "<=", ">", ">=":
            guard let order = compare(a, b) else { return .boolean(false) }
            switch op {
            case "<": return .boolean(order < 0)
            case "<=": return .boolean(order <= 0)
            case ">": return .boolean(order > 0)
            default: return .boolean(order >= 0)
            }
        case "in":
            guard case .list(let items) = b, !a.isNull else { return .boolean(false) }
            return .boolean(items.contains { equal(a, $0) })
        default:
            return arithmetic(op, a, b)
        }
    }

    static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): x == y
        case (.list(let x), .list(let y)): Set(x.map(\.description)) == Set(y.map(\.description))
        default: a == b
        }
    }

    static func compare(_ a: Value, _ b: Value) -> Int? {
        switch (a, b) {
        case (.number(let x), .number(let y)): x < y ? -1 : (x > y ? 1 : 0)
        case (.date(let x), .date(let y)): x < y ? -1 : (x > y ? 1 : 0)
        default: nil
        }
    }

    static func arithmetic(_ op: String, _ a: Value, _ b: Value) -> Value {
        switch (op, a, b) {
        case ("+", .date(let d), .number(let n)): return .date(Day(number: d.number + Int(n)))
        case ("-", .date(let d), .number(let n)): return .date(Day(number: d.number - Int(n)))
        case ("-", .date(let x), .date(let y)): return .number(Double(x.number - y.number))
        case (_, .number(let x), .number(let y)):
            switch op {
            case "+": return .number(x + y)
            case "-": return .number(x - y)
            case "*": return .number(x * y)
            case "/": return y == 0 ? .null : .number(x / y)
            case "%": return y == 0 ? .null : .number(x.truncatingRemainder(dividingBy: y))
            default: return .null
            }
        default:
            return .null
        }
    }

    /// A date compared or combined with a date-shaped text literal.
    static func coerceDates(_ a: Value, _ b: Value) -> (Value, Value) {
        switch (a, b) {
        case (.date, .text(let t)): if let d = Day(iso: t) { return (a, .date(d)) }
        case (.text(let t), .date): if let d = Day(iso: t) { return (.date(d), b) }
        default: break
        }
        return (a, b)
    }
}
