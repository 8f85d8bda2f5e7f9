import AmanaCore
import Foundation

/// A calendar day (no time, no time zone): dates of birth, incidents, follow-ups.
///
/// Stored as a day number so that adding days and counting days between two
/// dates is exact arithmetic, not calendar lookups.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 (proleptic Gregorian).
    public let number: Int

    public init(number: Int) { self.number = number }

    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), (1...Day.daysIn(month: month, year: year)).contains(day), (1...9999).contains(year) else { return nil }
        number = Day.daysFromCivil(year, month, day)
    }

    /// Parses `YYYY-MM-DD` (a datetime's date part is accepted: `YYYY-MM-DDThh:mm...`).
    public init?(iso text: String) {
        // Read as bytes: every date answer of every form read goes through here.
        let utf8 = text.utf8
        guard utf8.count == 10 || (utf8.count > 10 && utf8[utf8.index(utf8.startIndex, offsetBy: 10)] == UInt8(ascii: "T")) else { return nil }
        var digits = (year: 0, month: 0, day: 0)
        for (offset, byte) in utf8.prefix(10).enumerated() {
            if offset == 4 || offset == 7 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            let digit = Int(byte - UInt8(ascii: "0"))
            switch offset {
            case 0..<4: digits.year = digits.year * 10 + digit
            case 5..<7: digits.month = digits.month * 10 + digit
            default: digits.day = digits.day * 10 + digit
            }
        }
        self.init(year: digits.year, month: digits.month, day: digits.day)
    }

    /// The UTC day of an instant.
    public init(_ date: Date) {
        number = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    public var components: (year: Int, month: Int, day: Int) { Day.civilFromDays(number) }

    public var description: String {
        let (y, m, d) = components
        return InternetDateTime.dateText(year: y, month: m, day: d)
    }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.number < rhs.number }

    /// Whole years from `self` to `other` (an age on that day).
    public func years(until other: Day) -> Int {
        let (y1, m1, d1) = components
        let (y2, m2, d2) = other.components
        var years = y2 - y1
        if (m2, d2) < (m1, d1) { years -= 1 }
        return years
    }

    /// The first day after `today` on which an age counted from `self` (a date of birth
    /// on or before `today`) goes up. Found by halving a year ahead, so that it agrees
    /// with ``years(until:)`` on every calendar oddity (a birthday on 29 February).
    public func nextBirthday(after today: Day) -> Day {
        let now = years(until: today)
        // 366 days on is always at least one birthday later.
        var low = today.number + 1, high = today.number + 366
        while low < high {
            let middle = (low + high) / 2
            if years(until: Day(number: middle)) > now { high = middle } else { low = middle + 1 }
        }
        return Day(number: low)
    }

    // The calendar arithmetic is AmanaCore's (shared with the API's dates).
    static func daysIn(month: Int, year: Int) -> Int { InternetDateTime.daysIn(month, of: year) }
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int { InternetDateTime.daysFromCivil(year: year, month: month, day: day) }
    static func civilFromDays(_ days: Int) -> (Int, Int, Int) { InternetDateTime.civilFromDays(days) }
}
