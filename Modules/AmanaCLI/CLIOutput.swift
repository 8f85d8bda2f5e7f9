import AmanaCore
import Foundation

/// How the case, task and approval commands print: aligned columns for a
/// person, or the API's JSON documents for a script (`--json`).
enum CLIOutput {
    /// Prints `value` as the API would send it.
    static func json(_ value: some Encodable) throws {
        let data = try WireJSON.encoder(pretty: true).encode(value)
        print(String(decoding: data, as: UTF8.self))
    }

    /// Prints rows under a header, each column as wide as its widest cell.
    static func table(_ header: [String], _ rows: [[String]]) {
        let widths = header.indices.map { column in
            ([header[column]] + rows.map { column < $0.count ? $0[column] : "" }).map(\.count).max() ?? 0
        }
        for row in [header] + rows {
            let cells = row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column] + 2, withPad: " ", startingAt: 0)
            }
            print(cells.joined())
        }
    }

    /// A time as a caseworker reads it: local, to the minute.
    static func time(_ date: Date) -> String {
        formatter.string(from: date)
    }

    nonisolated(unsafe) private static let formatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter
    }()
}

/// Free text about a person (a note, a reason, a search value) is best given
/// on standard input: on the command line it lands in shell history and in
/// `ps`. `-` or no value reads it from standard input.
func textArgument(_ value: String?, what: String) throws(AmanaError) -> String {
    if let value, value != "-" { return value }
    if isatty(STDIN_FILENO) == 1 {
        FileHandle.standardError.write(Data("\(what) (end with Ctrl-D):\n".utf8))
    }
    let data = FileHandle.standardInput.readDataToEndOfFile()
    let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    guard !text.isEmpty else { throw AmanaError.invalid("\(what.lowercased().replacingOccurrences(of: " ", with: "-"))-missing", "Give the \(what.lowercased()) on standard input.") }
    return text
}

/// An optional text option: absent stays absent; `-` reads it from standard input.
func optionalText(_ value: String?, what: String) throws(AmanaError) -> String? {
    try value.map { text throws(AmanaError) in try textArgument(text, what: what) }
}

/// An instant given on the command line: ISO 8601 (`2026-12-03T10:00:00Z`) or a day (`2026-12-03`, its start in UTC),
/// read as strictly as the API reads it (``InternetDateTime``: no `12:99` rolled into the next hour).
func instantArgument(_ text: String, what: String) throws(AmanaError) -> Date {
    if let date = InternetDateTime.parse(text) ?? (text.count == 10 ? InternetDateTime.parse(text + "T00:00:00Z") : nil) { return date }
    throw AmanaError.invalid("\(what)-format", "Give the \(what) as 2026-12-03T10:00:00Z or 2026-12-03.")
}
