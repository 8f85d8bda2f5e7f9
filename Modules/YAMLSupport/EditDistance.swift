/// How many single-byte edits turn one word into another, worked out only as far as a limit:
/// what the "did you mean" hint of a diagnostic needs.
///
/// A hostile or careless definition file may hold thousands of unknown names, each compared
/// with thousands of allowed ones, so one comparison must cost next to nothing: words are
/// compared as UTF-8 bytes (every identifier is ASCII) in place, a word whose length alone
/// puts it over the limit is skipped unread, the work stops at the first row that is over the
/// limit, and the two rows of the table are reused from one comparison to the next.
struct EditDistance {
    /// How far a word may be from an allowed one to be suggested.
    static let hintDistance = 3
    /// Longer than any identifier a definition uses: such a word is not a typo of one.
    static let longestHinted = 80

    private let word: String
    private var previous: [Int]
    private var current: [Int]

    /// Ready to compare `word` with others.
    init(to word: String) {
        var word = word
        word.makeContiguousUTF8()
        self.word = word
        let width = min(word.utf8.count, Self.longestHinted) + Self.hintDistance + 1
        previous = [Int](repeating: 0, count: width)
        current = previous
    }

    /// The edit distance to `other` if it is at most `limit` (itself at most ``hintDistance``)
    /// and the word is not longer than any identifier, else nil.
    mutating func to(_ other: String, atMost limit: Int) -> Int? {
        let limit = min(limit, Self.hintDistance)
        var other = other
        other.makeContiguousUTF8()
        guard limit >= 0, word.utf8.count <= Self.longestHinted,
              abs(word.utf8.count - other.utf8.count) <= limit else { return nil }
        let word = self.word
        return word.utf8.withContiguousStorageIfAvailable { a in
            other.utf8.withContiguousStorageIfAvailable { b in distance(a, b, atMost: limit) } ?? nil
        } ?? nil
    }

    private mutating func distance(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, atMost limit: Int) -> Int? {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        for j in 0...b.count { previous[j] = j }
        for i in 1...a.count {
            current[0] = i
            var smallest = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                smallest = min(smallest, current[j])
            }
            // Every path to the last cell passes through this row: over the limit here, over it there.
            if smallest > limit { return nil }
            swap(&previous, &current)
        }
        return previous[b.count] <= limit ? previous[b.count] : nil
    }
}
