import YAMLSupport

/// Checks an expression against the fields it may refer to, reporting every
/// problem with its position: unknown fields (with the nearest known one),
/// unknown functions, wrong argument counts, and comparisons or arithmetic
/// between values of different types (a date with text, a number with yes/no).
public struct TypeChecker: Sendable {
    /// The fields in scope and their types (inside a repeat row: the row's fields too).
    public var fields: [String: ValueType]

    public init(fields: [String: ValueType]) { self.fields = fields }

    public struct Result: Sendable {
        public var type: ValueType
        public var errors: [ExpressionError]
    }

    public func check(_ expression: Expression) -> Result {
        var errors: [ExpressionError] = []
        let type = infer(expression, &errors)
        return Result(type: type, errors: errors)
    }

    func infer(_ e: Expression, _ errors: inout [ExpressionError]) -> ValueType {
        switch e {
        case .literal(let value, _):
            return type(of: value)
        case .list(let items, let offset):
            let types = items.map { infer($0, &errors) }
            guard let first = types.first(where: { $0 != .null && $0 != .any }) else { return .list(.any) }
            if types.contains(where: { !first.accepts($0) }) {
                errors.append(ExpressionError("a list must hold values of one type", at: offset))
            }
            return .list(first)
        case .field(let name, let offset):
            if let type = fields[name] { return type }
            let hint = YAMLReader.didYouMean(name, in: Array(fields.keys))
            errors.append(ExpressionError("unknown field '\(name)'\(hint)", at: offset))
            return .any
        case .unary(let op, let operand, let offset):
            let t = infer(operand, &errors)
            if op == "not" {
                if !ValueType.boolean.accepts(t) { errors.append(ExpressionError("'not' needs yes/no, not \(t)", at: offset)) }
                return .boolean
            }
            if !ValueType.number.accepts(t) { errors.append(ExpressionError("'-' needs a number, not \(t)", at: offset)) }
            return .number
        case .binary(let op, let l, let r, let offset):
            return binary(op, l, r, offset, &errors)
        case .call(let name, let arguments, let offset):
            let types = arguments.map { infer($0, &errors) }
            guard let function = Functions.all[name] else {
                let hint = YAMLReader.didYouMean(name, in: Array(Functions.all.keys))
                errors.append(ExpressionError("unknown function '\(name)'\(hint)", at: offset))
                return .any
            }
            guard function.parameters.count == types.count else {
                errors.append(ExpressionError("\(name)() takes \(function.parameters.count) argument\(function.parameters.count == 1 ? "" : "s"), not \(types.count)", at: offset))
                return function.result
            }
            for (index, (expected, actual)) in zip(function.parameters, types).enumerated() where !expected.contains(where: { $0.accepts(actual) }) {
                let wanted = expected.map(\.description).joined(separator: " or ")
                errors.append(ExpressionError("\(name)() needs \(wanted) as argument \(index + 1), not \(actual)", at: arguments[index].offset))
            }
            return function.result
        }
    }

    func binary(_ op: String, _ l: Expression, _ r: Expression, _ offset: Int, _ errors: inout [ExpressionError]) -> ValueType {
        var lt = infer(l, &errors), rt = infer(r, &errors)
        // A text literal that is a date (`'2024-01-31'`) compares with a date.
        if lt == .date, case .literal(.text(let t), _) = r, Day(iso: t) != nil { rt = .date }
        if rt == .date, case .literal(.text(let t), _) = l, Day(iso: t) != nil { lt = .date }
        switch op {
        case "and", "or":
            for (t, e) in [(lt, l), (rt, r)] where !ValueType.boolean.accepts(t) {
                errors.append(ExpressionError("'\(op)' needs yes/no on both sides, not \(t)", at: e.offset))
            }
            return .boolean
        case "==", "!=":
            if !lt.accepts(rt) { errors.append(ExpressionError("cannot compare \(lt) with \(rt)", at: offset)) }
            return .boolean
        case "<", "<=", ">", ">=":
            if !lt.accepts(rt) || ![.number, .date, .any, .null].contains(lt) || ![.number, .date, .any, .null].contains(rt) {
                errors.append(ExpressionError("'\(op)' compares two numbers or two dates, not \(lt) with \(rt)", at: offset))
            }
            return .boolean
        case "in":
            switch rt {
            case .list(let element):
                if !element.accepts(lt) { errors.append(ExpressionError("cannot look for \(lt) in \(rt)", at: offset)) }
            case .any, .null: break
            default: errors.append(ExpressionError("'in' needs a list on its right, not \(rt)", at: r.offset))
            }
            return .boolean
        case "+", "-":
            switch (lt, rt) {
            case (.date, .number), (.date, .any), (.date, .null): return .date
            case (.date, .date) where op == "-": return .number
            default:
                if !ValueType.number.accepts(lt) || !ValueType.number.accepts(rt) {
                    errors.append(ExpressionError("'\(op)' needs numbers (or a date and a number of days), not \(lt) and \(rt)", at: offset))
                }
                return .number
            }
        default:  // * / %
            if !ValueType.number.accepts(lt) || !ValueType.number.accepts(rt) {
                errors.append(ExpressionError("'\(op)' needs numbers, not \(lt) and \(rt)", at: offset))
            }
            return .number
        }
    }

    func type(of value: Value) -> ValueType {
        switch value {
        case .null: .null
        case .number: .number
        case .text: .text
        case .boolean: .boolean
        case .date: .date
        case .list(let items): .list(items.first.map(type(of:)) ?? .any)
        case .rows: .rows
        }
    }
}
