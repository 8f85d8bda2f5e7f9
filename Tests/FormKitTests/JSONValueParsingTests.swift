import AmanaCore
import Foundation
import Testing

/// The JSON reader and writer every sealed answer goes through, held to
/// Foundation's: the same values from the same texts, the same refusals.
@Suite("JSON values: parsing and writing")
struct JSONValueParsingTests {
    func foundation(_ text: String) -> JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }

    @Test(arguments: [
        #"{"given_name":"فاطمة","age":29,"ok":true,"none":null,"list":["a","b"],"nested":{"x":-1.5e3}}"#,
        #"  [1, 2.5, -0, 1E2, 0.001, "\u00e9\ud83d\ude00", "tab\there", "quote\"slash\/back\\"]  "#,
        #""just a string""#, "true", "null", "0", "-12.75", "[]", "{}", #"{"a":{"b":{"c":[[[]]]}}}"#,
        #"{"dup":1,"dup":2}"#, #""\b\f\n\r\t""#, #""\u0000""#,
    ])
    func readsWhatFoundationReads(_ text: String) throws {
        let parsed = try JSONValue(parsing: Array(text.utf8))
        #expect(parsed == foundation(text))
    }

    @Test(arguments: [
        "", " ", "{", "[1,]", #"{"a":1,}"#, "01", "1.", ".5", "-", "+1", "1e", "NaN", "Infinity", "tru", "nul", "[1 2]",
        #"{"a" 1}"#, #"{a:1}"#, "\"unterminated", "\"bad \\x escape\"", "\"\u{01}\"", #""\ud83d""#, #""\ude00""#, "1e400", "[1]x",
        "// comment\n1", "'single'",
    ])
    func refusesWhatIsNotJSON(_ text: String) {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: Array(text.utf8)) }
    }

    @Test func refusesInvalidUTF8AndDeepNesting() {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: [0x22, 0xFF, 0xFE, 0x22]) }
        #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: Array((String(repeating: "[", count: 600) + String(repeating: "]", count: 600)).utf8)) }
    }

    @Test func writesWhatFoundationWritesAndReadsItBack() throws {
        let foundationEncoder = JSONEncoder()
        foundationEncoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var random = SplitMix64(seed: 2026)
        for _ in 0..<300 {
            let value = Self.randomValue(&random, depth: 0)
            let written = value.encoded()
            #expect(try JSONValue(parsing: written) == value)
            #expect(written == (try foundationEncoder.encode(value)), "\(String(decoding: written, as: UTF8.self))")
        }
    }

    static func randomValue(_ random: inout SplitMix64, depth: Int) -> JSONValue {
        switch Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .number([0, -3, 29, 1e14, 0.5, -12.25, 3.141592653589793].randomElement(using: &random)!)
        case 3:
            let pieces = ["a", "ب", "\"", "\\", "/", "\n", "\t", "\u{01}", "😀", " ", "é", "\u{7F}"]
            return .string((0..<Int.random(in: 0..<8, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined())
        case 4: return .array((0..<Int.random(in: 0..<4, using: &random)).map { _ in randomValue(&random, depth: depth + 1) })
        default:
            return .object(Dictionary((0..<Int.random(in: 0..<4, using: &random)).map { n in ("k\(n)\(["", "_x", "é"].randomElement(using: &random)!)", randomValue(&random, depth: depth + 1)) }, uniquingKeysWith: { a, _ in a }))
        }
    }
}
