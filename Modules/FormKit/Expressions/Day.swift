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
        let datePart = text.prefix(10)
        let parts = datePart.split(separator: "-", omittingEmptySubsequences: false)
        guard datePart.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        guard text.count == 10 || text.dropFirst(10).first == "T" else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The UTC day of an instant.
    public init(_ date: Date) {
        number = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    public var components: (year: Int, month: Int, day: Int) { Day.civilFromDays(number) }

    public var description: String {
        let (y, m, d) = components
        // Without String(format:): every date answer of every read is printed through here.
        func padded(_ n: Int, _ width: Int) -> String {
            let digits = String(n)
            return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        return padded(y, 4) + "-" + padded(m, 2) + "-" + padded(d, 2)
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

    // The calendar arithmetic is AmanaCore's (shared with the API's dates).
    static func daysIn(month: Int, year: Int) -> Int { InternetDateTime.daysIn(month, of: year) }
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int { InternetDateTime.daysFromCivil(year: year, month: month, day: day) }
    static func civilFromDays(_ days: Int) -> (Int, Int, Int) { InternetDateTime.civilFromDays(days) }
}
