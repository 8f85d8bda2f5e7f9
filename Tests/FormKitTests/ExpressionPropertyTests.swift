import AmanaCore
import Testing
@testable import FormKit

/// Property-based checks with a seeded generator: random expressions, printed
/// and parsed back, evaluate the same and never crash.
@Suite("Expression properties")
struct ExpressionPropertyTests {
    typealias SplitMix = SplitMix64

    static let fields = ["a", "b", "c", "when", "tags"]

    /// A random expression's source text, fully parenthesised.
    func randomSource(_ depth: Int, _ rng: inout SplitMix) -> String {
        if depth == 0 || Int.random(in: 0..<4, using: &rng) == 0 {
            switch Int.random(in: 0..<7, using: &rng) {
            case 0: return String(Int.random(in: -50...50, using: &rng))
            case 1: return "'t\(Int.random(in: 0..<3, using: &rng))'"
            case 2: return Bool.random(using: &rng) ? "true" : "false"
            case 3: return "null"
            case 4: return "today()"
            case 5: return "['t0', 't1']"
            default: return Self.fields.randomElement(using: &rng)!
            }
        }
        let a = randomSource(depth - 1, &rng), b = randomSource(depth - 1, &rng)
        switch Int.random(in: 0..<8, using: &rng) {
        case 0: return "(\(a) \(["+", "-", "*", "/", "%"].randomElement(using: &rng)!) \(b))"
        case 1: return "(\(a) \(["==", "!=", "<", "<=", ">", ">="].randomElement(using: &rng)!) \(b))"
        case 2: return "(\(a) \(["and", "or"].randomElement(using: &rng)!) \(b))"
        case 3: return "(not \(a))"
        case 4: return "(\(a) in \(b))"
        case 5: return "count(\(a))"
        case 6: return "days_between(\(a), \(b))"
        default: return "(-\(a))"
        }
    }

    @Test func printedExpressionsParseAndEvaluateWithoutCrashing() throws {
        var rng = SplitMix(seed: 20_261_125)
        let today = Day(year: 2026, month: 11, day: 25)!
        let contexts: [[String: Value]] = [
            [:],
            ["a": .number(3), "b": .text("t1"), "c": .boolean(true), "when": .date(today), "tags": .list([.text("t0")])],
            ["a": .number(0), "b": .number(0), "c": .null, "when": .null, "tags": .rows([[:], [:]])],
        ]
        for _ in 0..<2_000 {
            let source = randomSource(5, &rng)
            let expression = try Expression.parse(source)
            // Parsing is deterministic and evaluation total: the same value twice, whatever the types.
            #expect(try Expression.parse(source) == expression)
            for values in contexts {
                let context = EvaluationContext(values: values, today: today)
                #expect(expression.evaluate(in: context) == expression.evaluate(in: context))
            }
            // Type checking terminates and reports positions inside the text.
            let result = TypeChecker(fields: ["a": .number, "b": .text, "c": .boolean, "when": .date, "tags": .list(.text)]).check(expression)
            #expect(result.errors.allSatisfy { $0.offset >= 0 && $0.offset <= source.unicodeScalars.count })
        }
    }

    @Test func randomBytesNeverCrashTheParser() {
        var rng = SplitMix(seed: 7)
        let alphabet = Array("ab1 ()[],'\"=!<>+-*/%.and or not in_\u{0627}\n\t")
        for _ in 0..<5_000 {
            let text = String((0..<Int.random(in: 0..<40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            _ = try? Expression.parse(text)
        }
    }

    @Test func daysRoundTripAcrossCenturies() {
        var rng = SplitMix(seed: 99)
        for _ in 0..<5_000 {
            let number = Int.random(in: -700_000...2_900_000, using: &rng)
            let day = Day(number: number)
            let (y, m, d) = day.components
            #expect(Day(year: y, month: m, day: d) == day)
            #expect(Day(iso: day.description) == day)
        }
        #expect(Day(iso: "2024-02-29") != nil)
        #expect(Day(iso: "2023-02-29") == nil)
        #expect(Day(iso: "2026-13-01") == nil)
        // A datetime's date part counts; anything else around or inside the date does not.
        #expect(Day(iso: "2026-11-25T23:59:59Z") == Day(year: 2026, month: 11, day: 25))
        for wrong in ["2026-11-2", "2026-1-025", "2026/11/25", "+026-11-25", "2026-11-25 ", "2026-11-25Z", "٢٠٢٦-١١-٢٥", "2026-11-2٥", "", "0000-01-01"] {
            #expect(Day(iso: wrong) == nil, "\(wrong)")
        }
    }
}
