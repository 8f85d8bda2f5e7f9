import Testing
@testable import FormKit

@Suite("Expression language")
struct ExpressionTests {
    let today = Day(year: 2026, month: 11, day: 25)!

    func eval(_ source: String, _ values: [String: Value] = [:]) throws -> Value {
        try Expression.parse(source).evaluate(in: EvaluationContext(values: values, today: today))
    }

    @Test(arguments: [
        ("1 + 2 * 3", Value.number(7)),
        ("(1 + 2) * 3", .number(9)),
        ("10 / 4", .number(2.5)),
        ("10 % 4", .number(2)),
        ("-3 + 5", .number(2)),
        ("1 / 0", .null),
        ("not true or true", .boolean(true)),
        ("not (true or true)", .boolean(false)),
        ("1 < 2 and 2 < 3", .boolean(true)),
        ("'a' in ['a', 'b']", .boolean(true)),
        ("'c' not in ['a', 'b']", .boolean(true)),
        ("date('2026-11-20') < today()", .boolean(true)),
        ("days_between(date('2026-01-01'), date('2026-03-01'))", .number(59)),
        ("date('2024-02-28') + 2", .date(Day(year: 2024, month: 3, day: 1)!)),
        ("length('مرحبا')", .number(5)),
        ("empty('')", .boolean(true)),
        ("min(3, 9) + max(3, 9) + round(2.5)", .number(15)),
    ])
    func evaluates(source: String, expected: Value) throws {
        #expect(try eval(source) == expected)
    }

    @Test func fieldsAndFunctionsOfTheDomain() throws {
        let values: [String: Value] = [
            "dob": .date(Day(year: 2012, month: 11, day: 26)!),
            "perpetrator_relationship": .text("step_parent"),
            "violence_types": .list([.text("rape"), .text("physical_assault")]),
            "other_survivors": .rows([["age": .number(9)], ["age": .number(12)]]),
            "incident_date": .date(Day(year: 2026, month: 11, day: 15)!),
        ]
        #expect(try eval("age(dob)", values) == .number(13))  // turns 14 tomorrow
        #expect(try eval("perpetrator_relationship in ['parent', 'step_parent', 'caregiver']", values) == .boolean(true))
        #expect(try eval("'rape' in violence_types", values) == .boolean(true))
        #expect(try eval("count(other_survivors) + 1", values) == .number(3))
        #expect(try eval("days_since(incident_date) <= 72", values) == .boolean(true))
        #expect(try eval("incident_date >= '2026-11-01'", values) == .boolean(true))
    }

    @Test func unansweredFieldsNeverCrashAndCompareFalse() throws {
        for source in ["missing == 1", "missing < 1", "missing > 1", "missing + 1 == 1", "age(missing) < 18", "'x' in missing"] {
            #expect(try eval(source) == .boolean(false), "\(source)")
        }
        #expect(try eval("empty(missing)") == .boolean(true))
        #expect(try eval("count(missing)") == .number(0))
        #expect(try eval("missing == null") == .boolean(true))
    }

    @Test(arguments: [
        ("", 0, "empty"),
        ("a ==", 4, "expected a value"),
        ("a = 1", 2, "use '=='"),
        ("a && b", 2, "use 'and'"),
        ("(a == 1", 7, "expected ')'"),
        ("'open", 0, "not closed"),
        ("1 < 2 < 3", 6, "cannot be chained"),
        ("a b", 2, "unexpected"),
        ("f(1,", 4, "expected a value"),
    ])
    func syntaxErrorsHaveAPosition(source: String, offset: Int, message: String) {
        let error = #expect(throws: ExpressionError.self) { try Expression.parse(source) }
        #expect(error?.offset == offset, "\(source): \(error?.description ?? "")")
        #expect(error?.message.contains(message) == true, "\(source): \(error?.message ?? "")")
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "(", count: 500) + "1" + String(repeating: ")", count: 500)
        #expect(throws: ExpressionError.self) { try Expression.parse(deep) }
        let notNot = String(repeating: "not ", count: 500) + "true"
        #expect(throws: ExpressionError.self) { try Expression.parse(notNot) }
    }

    @Test(arguments: [
        ("dob == 'yes'", "cannot compare a date with text"),
        ("age(name)", "age() needs a date"),
        ("ag(dob)", "unknown function 'ag'; did you mean 'age'?"),
        ("violence_typ == 'rape'", "unknown field 'violence_typ'; did you mean 'violence_types'?"),
        ("name < 3", "compares two numbers or two dates"),
        ("count(name)", "count() needs repeat rows or a list"),
        ("today(1)", "today() takes 0 arguments"),
        ("'rape' in name", "'in' needs a list"),
        ("name and true", "'and' needs yes/no"),
        ("dob + dob", "needs numbers"),
    ])
    func typeErrorsAreFoundWhenThePluginLoads(source: String, message: String) throws {
        let checker = TypeChecker(fields: ["dob": .date, "name": .text, "violence_types": .list(.text), "age_years": .number])
        let result = checker.check(try Expression.parse(source))
        #expect(result.errors.contains { $0.message.contains(message) }, "\(source): \(result.errors.map(\.message))")
    }

    @Test func wellTypedExpressionsHaveNoErrors() throws {
        let checker = TypeChecker(fields: ["dob": .date, "name": .text, "violence_types": .list(.text), "rows": .rows, "n": .number])
        for source in ["age(dob) < 18 and not empty(name)", "dob <= today() - 30", "'x' in violence_types or count(rows) > n", "dob == null", "dob > '2020-01-01'"] {
            #expect(checker.check(try Expression.parse(source)).errors.isEmpty, "\(source)")
        }
    }
}
