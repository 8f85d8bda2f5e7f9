import Foundation

/// RFC 3339 date-times (`2026-11-25T09:30:00Z`, `2026-11-25T12:30:00.5+03:00`),
/// read strictly: Foundation's ISO 8601 parser on Linux accepts `12:99` or
/// `02-30` and rolls them over into another moment, which would store a date
/// the person never gave. Every field is checked against its range instead.
/// Written (``format(_:)``) as the API writes every date; the calendar arithmetic here is
/// also what FormKit's `Day` uses.
public enum InternetDateTime {
    public static func parse(_ text: String) -> Date? {
        let pattern = #/^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/#
        guard let match = text.wholeMatch(of: pattern),
              let year = Int(match.1), let month = Int(match.2), let day = Int(match.3),
              let hour = Int(match.4), let minute = Int(match.5), let second = Int(match.6),
              (1...12).contains(month), (1...daysIn(month, of: year)).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
        else { return nil }
        var offset = 0
        let zone = match.8
        if zone.count == 6 {
            guard let hours = Int(zone.dropFirst().prefix(2)), let minutes = Int(zone.suffix(2)), (0...23).contains(hours), (0...59).contains(minutes) else { return nil }
            offset = (hours * 3600 + minutes * 60) * (zone.hasPrefix("-") ? -1 : 1)
        }
        let fraction = match.7.flatMap { Double("0" + $0) } ?? 0
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
        return Date(timeIntervalSince1970: seconds)
    }

    /// Days in `month` of `year` (Gregorian).
    public static func daysIn(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date `days` after 1970-01-01 (the inverse of ``daysFromCivil(year:month:day:)``).
    public static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `date` as Foundation's `.iso8601` strategy writes it: UTC, whole seconds (`2026-11-25T09:30:00Z`).
    public static func format(_ date: Date) -> String {
        var out: [UInt8] = []
        write(date, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends ``format(_:)``'s text to `out`, digit by digit: every date of every answer the
    /// API writes goes through here.
    public static func write(_ date: Date, into out: inout [UInt8]) {
        // Before 1583 Foundation counts in the Julian calendar: left to it (no record is that old).
        guard date.timeIntervalSince1970 >= -12_212_553_600 else { return out.append(contentsOf: ISO8601DateFormatter().string(from: date).utf8) }
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let second = seconds - days * 86_400
        let (year, month, day) = civilFromDays(days)
        writeDate(year: year, month: month, day: day, into: &out)
        out.append(UInt8(ascii: "T"))
        digits(second / 3_600, into: &out)
        out.append(UInt8(ascii: ":"))
        digits(second % 3_600 / 60, into: &out)
        out.append(UInt8(ascii: ":"))
        digits(second % 60, into: &out)
        out.append(UInt8(ascii: "Z"))
    }

    /// Two digits of `n` (0...99).
    private static func digits(_ n: Int, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "0") + UInt8(n / 10))
        out.append(UInt8(ascii: "0") + UInt8(n % 10))
    }

    /// `YYYY-MM-DD`, without `String(format:)`: every date answer of every read and every date
    /// in every answer is written through here.
    public static func dateText(year: Int, month: Int, day: Int) -> String {
        var out: [UInt8] = []
        writeDate(year: year, month: month, day: day, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `YYYY-MM-DD` appended to `out`; a year is four digits at least.
    private static func writeDate(year: Int, month: Int, day: Int, into out: inout [UInt8]) {
        if (0...9_999).contains(year) {
            digits(year / 100, into: &out)
            digits(year % 100, into: &out)
        } else {
            out.append(contentsOf: (String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)).utf8)
        }
        out.append(UInt8(ascii: "-"))
        digits(month, into: &out)
        out.append(UInt8(ascii: "-"))
        digits(day, into: &out)
    }
}
