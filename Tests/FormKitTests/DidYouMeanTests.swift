import AmanaCore
import Testing
@testable import YAMLSupport

/// The "did you mean" hint of a diagnostic: the nearest allowed word, found cheaply enough
/// that a file of thousands of unknown names is checked as fast as any other.
@Suite("Did you mean")
struct DidYouMeanTests {
    @Test func aTypoIsMatchedToTheNearestAllowedWord() {
        let keys = ["id", "type", "label", "lookup", "required", "show_if"]
        #expect(YAMLReader.nearest("lable", in: keys) == "label")
        #expect(YAMLReader.nearest("requird", in: keys) == "required")
        #expect(YAMLReader.nearest("showif", in: keys) == "show_if")
        #expect(YAMLReader.nearest("label", in: keys) == "label")
        #expect(YAMLReader.nearest("sensitivity", in: keys) == nil, "nothing within three edits")
        #expect(YAMLReader.didYouMean("tpye", in: keys) == "; did you mean 'type'?")
    }

    @Test func threeEditsAreSuggestedAndFourAreNot() {
        #expect(YAMLReader.nearest("abcxyz", in: ["abc"]) == "abc")
        #expect(YAMLReader.nearest("abcwxyz", in: ["abc"]) == nil)
    }

    @Test func ofEquallyNearWordsTheFirstIsSuggested() {
        #expect(YAMLReader.nearest("cat", in: ["bat", "hat", "cart"]) == "bat")
        #expect(YAMLReader.nearest("cat", in: ["cart", "bat", "cat"]) == "cat", "an exact match beats any near one")
    }

    @Test func aWordLongerThanAnyIdentifierGetsNoHint() {
        let long = String(repeating: "a", count: 5_000)
        #expect(YAMLReader.nearest(long, in: [long, "a"]) == nil)
    }

    /// The bounded distance is the full one wherever it is within the limit (never more than three).
    @Test func theBoundedDistanceIsTheFullOneWithinItsLimit() {
        var rng = SplitMix64(seed: 2026_11_30)
        let letters: [UInt8] = Array("abcde".utf8)
        func word() -> [UInt8] { (0..<Int(rng.next() % 9)).map { _ in letters[Int(rng.next() % 5)] } }
        for _ in 0..<5_000 {
            let a = word(), b = word(), limit = Int(rng.next() % 5)
            let full = Self.fullDistance(a, b)
            var distance = EditDistance(to: String(decoding: a, as: UTF8.self))
            let bounded = distance.to(String(decoding: b, as: UTF8.self), atMost: limit)
            #expect(bounded == (full <= min(limit, 3) ? full : nil), "\(a) \(b) within \(limit)")
        }
    }

    @Test func oneDistanceComparesWithManyWords() {
        var distance = EditDistance(to: "label")
        #expect(distance.to("lable", atMost: 3) == 2)
        #expect(distance.to("labels", atMost: 3) == 1, "rows reused from a shorter comparison")
        #expect(distance.to("la", atMost: 3) == 3)
        #expect(distance.to("", atMost: 3) == nil)
        #expect(distance.to("label", atMost: 0) == 0)
    }

    /// Levenshtein distance without shortcuts, to check the bounded one against.
    static func fullDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var table = (0...a.count).map { i in (0...b.count).map { j in i == 0 ? j : (j == 0 ? i : 0) } }
        for i in stride(from: 1, through: a.count, by: 1) {
            for j in stride(from: 1, through: b.count, by: 1) {
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
        }
        return table[a.count][b.count]
    }
}
