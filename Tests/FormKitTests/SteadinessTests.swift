import Foundation
import Testing
@testable import FormKit

/// Until when a validation's outcome holds: what lets a report keep what it found
/// in a case's forms (a report digest) instead of checking them again.
@Suite("Steadiness of a validation")
struct SteadinessTests {
    static let form = """
        id: t/person
        version: 1
        title: {en: Person, ar: الشخص}
        sections:
          - id: who
            title: {en: Who, ar: من}
            fields:
              - {id: date_of_birth, type: date, not_future: true, label: {en: Born, ar: الميلاد}}
              - {id: seen_on, type: date, max: today, label: {en: Seen, ar: شوهد}}
              - {id: next_visit, type: date, min: today, label: {en: Next visit, ar: الزيارة القادمة}}
              - {id: sex, type: yes_no, label: {en: Female, ar: أنثى}}
              - id: age_years
                type: calculated
                expr: "age(date_of_birth)"
                label: {en: Age, ar: العمر}
        """
    static let counter = """
        id: t/counter
        version: 1
        title: {en: Counter, ar: العداد}
        sections:
          - id: when
            title: {en: When, ar: متى}
            fields:
              - {id: seen_on, type: date, label: {en: Seen, ar: شوهد}}
              - id: days
                type: calculated
                expr: "days_since(seen_on)"
                label: {en: Days, ar: أيام}
        """

    let today = Day(year: 2026, month: 11, day: 25)!

    func steadyUntil(_ answers: [String: SubmittedValue], form: String = form) throws -> (Day?, Bool) {
        let result = try DefinitionFixture.validator(form).validate(answers, today: today, steadiness: true)
        return (result.steadyUntil, result.isValid)
    }

    @Test func answersThatDoNotDependOnTheDateHoldForever() throws {
        #expect(try steadyUntil(["sex": true]) == (nil, true))
        #expect(try steadyUntil(["seen_on": "2026-11-01"]) == (nil, true), "a day in the past stays in the past")
        let unasked = try DefinitionFixture.validator(Self.form).validate(["date_of_birth": "2000-12-01"], today: today)
        #expect(unasked.steadyUntil == nil, "not worked out unless asked")
    }

    @Test func anAgeHoldsUntilTheNextBirthday() throws {
        #expect(try steadyUntil(["date_of_birth": "2000-12-01"]) == (Day(year: 2026, month: 12, day: 1)!, true))
        #expect(try steadyUntil(["date_of_birth": "2000-11-25"]) == (Day(year: 2027, month: 11, day: 25)!, true), "a birthday today: the next one")
        // Born on 29 February: the age goes up on 1 March in a year without one, as years(until:) counts it.
        let leapling = Day(iso: "2008-02-29")!, before = Day(year: 2026, month: 2, day: 27)!
        #expect(leapling.nextBirthday(after: before) == Day(year: 2026, month: 3, day: 1)!)
        #expect(leapling.years(until: Day(year: 2026, month: 2, day: 28)!) == 17 && leapling.years(until: Day(year: 2026, month: 3, day: 1)!) == 18)
    }

    @Test func datesAgainstTodayHoldUntilTheyCrossIt() throws {
        // A date in the future is refused today and accepted from that day on.
        #expect(try steadyUntil(["seen_on": "2026-12-05"]) == (Day(year: 2026, month: 12, day: 5)!, false))
        // A visit on or after today is accepted until the day after it.
        #expect(try steadyUntil(["next_visit": "2026-11-30"]) == (Day(year: 2026, month: 12, day: 1)!, true))
        #expect(try steadyUntil(["next_visit": "2026-11-01"]) == (nil, false), "too early now, and later too")
        // The earliest change wins.
        #expect(try steadyUntil(["next_visit": "2026-11-30", "date_of_birth": "2000-11-27"]) == (Day(year: 2026, month: 11, day: 27)!, true))
    }

    @Test func countingDaysChangesEveryDay() throws {
        #expect(try steadyUntil(["seen_on": "2026-11-01"], form: Self.counter) == (Day(year: 2026, month: 11, day: 26)!, true))
        #expect(try steadyUntil([:], form: Self.counter) == (nil, true), "no date, nothing counted")
    }
}
