/// A parsed expression: `show_if`, `required_if`, `valid_if`, a calculated
/// field's `expr`, a workflow guard or a consent exception.
///
/// The language is small and total: literals, field references, comparisons,
/// `and`/`or`/`not`, `in`, arithmetic, and a fixed set of functions. No loops,
/// no assignment, no I/O; every evaluation ends, and an impossible operation
/// (dividing by zero, comparing with an unanswered field) gives `null`.
public indirect enum Expression: Equatable, Sendable {
    case literal(Value, offset: Int)
    case list([Expression], offset: Int)
    case field(String, offset: Int)
    case unary(String, Expression, offset: Int)
    case binary(String, Expression, Expression, offset: Int)
    case call(String, [Expression], offset: Int)

    public var offset: Int {
        switch self {
        case .literal(_, let o), .list(_, let o), .field(_, let o), .unary(_, _, let o), .binary(_, _, _, let o), .call(_, _, let o): o
        }
    }

    /// Every field this expression reads (for dependency order and cycle checks).
    public var fieldReferences: Set<String> {
        switch self {
        case .literal: []
        case .field(let name, _): [name]
        case .list(let items, _), .call(_, let items, _): items.reduce(into: Set()) { $0.formUnion($1.fieldReferences) }
        case .unary(_, let e, _): e.fieldReferences
        case .binary(_, let l, let r, _): l.fieldReferences.union(r.fieldReferences)
        }
    }

    /// Parses `source`, or throws the first syntax error with its position.
    public static func parse(_ source: String) throws(ExpressionError) -> Expression {
        var parser = Parser(tokens: try Lexer.tokens(source))
        return try parser.parseAll()
    }
}

/// Recursive descent, one function per precedence level (lowest first):
/// `or`, `and`, `not`, comparison and `in`, `+ -`, `* / %`, unary `-`, primary.
struct Parser {
    let tokens: [Token]
    var position = 0
    var depth = 0
    static let maxDepth = 64

    init(tokens: [Token]) { self.tokens = tokens }

    var current: Token { tokens[position] }

    mutating func advance() -> Token {
        defer { position = min(position + 1, tokens.count - 1) }
        return current
    }

    func isSymbol(_ s: String) -> Bool { current.kind == .symbol(s) }
    func isKeyword(_ k: String) -> Bool { current.kind == .keyword(k) }

    mutating func parseAll() throws(ExpressionError) -> Expression {
        guard current.kind != .end else { throw ExpressionError("the expression is empty", at: 0) }
        let expression = try parseOr()
        guard current.kind == .end else { throw ExpressionError("unexpected \(describe(current)) here", at: current.offset) }
        return expression
    }

    mutating func nested<T>(_ body: (inout Parser) throws(ExpressionError) -> T) throws(ExpressionError) -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Parser.maxDepth else { throw ExpressionError("the expression is nested too deeply", at: current.offset) }
        return try body(&self)
    }

    mutating func parseOr() throws(ExpressionError) -> Expression {
        var left = try parseAnd()
        while isKeyword("or") {
            let op = advance()
            left = .binary("or", left, try parseAnd(), offset: op.offset)
        }
        return left
    }

    mutating func parseAnd() throws(ExpressionError) -> Expression {
        var left = try parseNot()
        while isKeyword("and") {
            let op = advance()
            left = .binary("and", left, try parseNot(), offset: op.offset)
        }
        return left
    }

    mutating func parseNot() throws(ExpressionError) -> Expression {
        if isKeyword("not") {
            let op = advance()
            return .unary("not", try nested { (p) throws(ExpressionError) in try p.parseNot() }, offset: op.offset)
        }
        return try parseComparison()
    }

    static let comparisons: Set<String> = ["==", "!=", "<", "<=", ">", ">="]

    mutating func parseComparison() throws(ExpressionError) -> Expression {
        let left = try parseSum()
        if case .symbol(let s) = current.kind, Parser.comparisons.contains(s) {
            let op = advance()
            let right = try parseSum()
            if case .symbol(let next) = current.kind, Parser.comparisons.contains(next) {
                throw ExpressionError("comparisons cannot be chained: use 'and'", at: current.offset)
            }
            return .binary(s, left, right, offset: op.offset)
        }
        if isKeyword("in") || (isKeyword("not") && tokens[position + 1].kind == .keyword("in")) {
            let negated = isKeyword("not")
            let op = advance()
            if negated { _ = advance() }
            let membership = Expression.binary("in", left, try parseSum(), offset: op.offset)
            return negated ? .unary("not", membership, offset: op.offset) : membership
        }
        return left
    }

    mutating func parseSum() throws(ExpressionError) -> Expression {
        var left = try parseProduct()
        while isSymbol("+") || isSymbol("-") {
            let op = advance()
            guard case .symbol(let s) = op.kind else { break }
            left = .binary(s, left, try parseProduct(), offset: op.offset)
        }
        return left
    }

    mutating func parseProduct() throws(ExpressionError) -> Expression {
        var left = try parseUnary()
        while isSymbol("*") || isSymbol("/") || isSymbol("%") {
            let op = advance()
            guard case .symbol(let s) = op.kind else { break }
            left = .binary(s, left, try parseUnary(), offset: op.offset)
        }
        return left
    }

    mutating func parseUnary() throws(ExpressionError) -> Expression {
        if isSymbol("-") {
            let op = advance()
            return .unary("-", try nested { (p) throws(ExpressionError) in try p.parseUnary() }, offset: op.offset)
        }
        return try parsePrimary()
    }

    mutating func parsePrimary() throws(ExpressionError) -> Expression {
        let token = advance()
        switch token.kind {
        case .number(let n): return .literal(.number(n), offset: token.offset)
        case .text(let t): return .literal(.text(t), offset: token.offset)
        case .keyword("true"): return .literal(.boolean(true), offset: token.offset)
        case .keyword("false"): return .literal(.boolean(false), offset: token.offset)
        case .keyword("null"): return .literal(.null, offset: token.offset)
        case .identifier(let name):
            guard isSymbol("(") else { return .field(name, offset: token.offset) }
            _ = advance()
            var arguments: [Expression] = []
            if !isSymbol(")") {
                repeat {
                    if isSymbol(",") { _ = advance() }
                    arguments.append(try nested { (p) throws(ExpressionError) in try p.parseOr() })
                } while isSymbol(",")
            }
            guard isSymbol(")") else { throw ExpressionError("expected ')' to close the call to \(name)", at: current.offset) }
            _ = advance()
            return .call(name, arguments, offset: token.offset)
        case .symbol("("):
            let inner = try nested { (p) throws(ExpressionError) in try p.parseOr() }
            guard isSymbol(")") else { throw ExpressionError("expected ')'", at: current.offset) }
            _ = advance()
            return inner
        case .symbol("["):
            var items: [Expression] = []
            if !isSymbol("]") {
                repeat {
                    if isSymbol(",") { _ = advance() }
                    items.append(try nested { (p) throws(ExpressionError) in try p.parseSum() })
                } while isSymbol(",")
            }
            guard isSymbol("]") else { throw ExpressionError("expected ']' to close the list", at: current.offset) }
            _ = advance()
            return .list(items, offset: token.offset)
        default:
            throw ExpressionError("expected a value, a field or '(' but found \(describe(token))", at: token.offset)
        }
    }

    func describe(_ token: Token) -> String {
        switch token.kind {
        case .end: "the end"
        case .number(let n): "the number \(n)"
        case .text(let t): "the text '\(t)'"
        case .identifier(let i): "'\(i)'"
        case .keyword(let k), .symbol(let k): "'\(k)'"
        }
    }
}
