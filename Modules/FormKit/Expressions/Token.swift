/// A lexical token of the expression language, with its offset in the source.
struct Token: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case number(Double)
        case text(String)
        case identifier(String)
        case keyword(String)  // and or not in true false null
        case symbol(String)   // == != < <= > >= + - * / % ( ) [ ] ,
        case end
    }

    var kind: Kind
    /// Offset in unicode scalars from the start of the expression.
    var offset: Int
}

/// Turns expression text into tokens. Never fails silently: an unexpected
/// character is an ``ExpressionError`` at its position.
enum Lexer {
    static let keywords: Set<String> = ["and", "or", "not", "in", "true", "false", "null"]
    static let maxLength = 4_000

    static func tokens(_ source: String) throws(ExpressionError) -> [Token] {
        let scalars = Array(source.unicodeScalars)
        guard scalars.count <= maxLength else {
            throw ExpressionError("an expression may have at most \(maxLength) characters", at: 0)
        }
        var tokens: [Token] = []
        var i = 0
        func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < scalars.count ? scalars[i + k] : nil }
        while let c = peek() {
            let start = i
            if c.properties.isWhitespace { i += 1; continue }
            if ("0"..."9").contains(c) || (c == "." && peek(1).map { ("0"..."9").contains($0) } == true) {
                var text = ""
                while let d = peek(), ("0"..."9").contains(d) || d == "." { text.unicodeScalars.append(d); i += 1 }
                guard let value = Double(text), text.filter({ $0 == "." }).count <= 1 else {
                    throw ExpressionError("'\(text)' is not a number", at: start)
                }
                tokens.append(Token(kind: .number(value), offset: start))
                continue
            }
            if c == "'" || c == "\"" {
                i += 1
                var text = ""
                while let d = peek(), d != c {
                    if d == "\\", let next = peek(1) { text.unicodeScalars.append(next); i += 2; continue }
                    text.unicodeScalars.append(d)
                    i += 1
                }
                guard peek() == c else { throw ExpressionError("this text is not closed: add \(c)", at: start) }
                i += 1
                tokens.append(Token(kind: .text(text), offset: start))
                continue
            }
            if c.properties.isAlphabetic || c == "_" {
                var word = ""
                while let d = peek(), d.properties.isAlphabetic || ("0"..."9").contains(d) || d == "_" { word.unicodeScalars.append(d); i += 1 }
                tokens.append(Token(kind: keywords.contains(word) ? .keyword(word) : .identifier(word), offset: start))
                continue
            }
            let two = peek(1).map { String(c) + String($0) } ?? ""
            if ["==", "!=", "<=", ">="].contains(two) {
                tokens.append(Token(kind: .symbol(two), offset: start))
                i += 2
                continue
            }
            if "<>+-*/%()[],".unicodeScalars.contains(c) {
                tokens.append(Token(kind: .symbol(String(c)), offset: start))
                i += 1
                continue
            }
            if c == "=" { throw ExpressionError("use '==' to compare", at: start) }
            if c == "&" || c == "|" || c == "!" { throw ExpressionError("use 'and', 'or', 'not'", at: start) }
            throw ExpressionError("unexpected character '\(c)'", at: start)
        }
        tokens.append(Token(kind: .end, offset: scalars.count))
        return tokens
    }
}

/// A problem in an expression, at an offset (in characters) from its start.
public struct ExpressionError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var offset: Int

    public init(_ message: String, at offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) (at character \(offset + 1))" }
}
