/// Comma-separated values as RFC 4180 writes them: fields separated by commas,
/// records by CRLF or LF, a field in double quotes may hold commas, quotes
/// (doubled) and line breaks. Each record keeps the line it starts on, so a
/// bad row is reported where the person can find it.
public enum CSV {
    public struct Record: Sendable, Equatable {
        /// The 1-based line the record starts on.
        public var line: Int
        public var fields: [String]
    }

    public struct SyntaxError: Error, Sendable, Equatable {
        public var line: Int
        public var message: String
    }

    /// Parses `text` (a leading byte-order mark is ignored); blank lines are skipped.
    public static func parse(_ text: String) throws(SyntaxError) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var line = 1, recordLine = 1
        var quoted = false, wasQuoted = false
        var characters = Array(text.unicodeScalars)
        if characters.first == "\u{FEFF}" { characters.removeFirst() }
        var i = 0
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !wasQuoted) { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
            field = ""
            wasQuoted = false
        }
        while i < characters.count {
            let c = characters[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < characters.count, characters[i + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        i += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
            } else {
                switch c {
                case "\"":
                    guard field.isEmpty, !wasQuoted else { throw SyntaxError(line: line, message: "A quote inside a field that does not start with one; write the whole field in quotes and double the quote (\"\").") }
                    quoted = true
                    wasQuoted = true
                case ",":
                    fields.append(field)
                    field = ""
                    wasQuoted = false
                case "\r":
                    break
                case "\n":
                    endRecord()
                    line += 1
                    recordLine = line
                default:
                    guard !wasQuoted else { throw SyntaxError(line: line, message: "Text after a closing quote; a quoted field ends at its quote.") }
                    field.unicodeScalars.append(c)
                }
            }
            i += 1
        }
        if quoted { throw SyntaxError(line: recordLine, message: "A quoted field is never closed.") }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { endRecord() }
        return records.map { Record(line: $0.line, fields: $0.fields.map(unguarded)) }
    }

    /// A field ``line(_:)`` guarded against running as a spreadsheet formula, as it was.
    static func unguarded(_ field: String) -> String {
        guard field.hasPrefix("'"), let second = field.dropFirst().first, "=+-@\t\r".contains(second) else { return field }
        return String(field.dropFirst())
    }

    /// One record, quoting the fields that need it, ended by CRLF. A field starting
    /// with = + - @, a tab or a carriage return is written with a leading `'` so that a spreadsheet shows it as
    /// text instead of running it; ``parse(_:)`` takes the `'` off again.
    public static func line(_ fields: [String]) -> String {
        fields.map { field in
            // A leading = + - @ (or tab, or carriage return) would run as a formula in a spreadsheet: prefix it.
            let safe = field.first.map { "=+-@\t\r".contains($0) } == true ? "'" + field : field
            guard safe.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return safe }
            return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",") + "\r\n"
    }
}
