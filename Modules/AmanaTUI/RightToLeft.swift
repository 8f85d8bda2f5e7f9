/// Arabic on a terminal that draws cells left to right and shapes nothing
/// (tmux, xterm, the Linux console, most SSH clients): the screens join the
/// letters themselves (Arabic presentation forms) and lay each line out in
/// visual order, right-aligned, with runs of Latin letters and numbers kept
/// left to right. The terminal is told not to reorder again (``Terminal``
/// switches bidi to explicit mode, ECMA-48 BDSM).
enum RightToLeft {
    /// U+200F RIGHT-TO-LEFT MARK: a strong right-to-left character of no width, between table cells.
    static let cellMark = "\u{200F}"

    /// A line in reading order as the terminal must draw it: shaped, reordered, aligned right in `width` cells.
    static func visual(_ line: String, width: Int) -> String {
        let characters = Array(shape(line))
        var reordered: String
        if characters.contains(where: { kind($0) == .rightToLeft }) {
            // Runs read right to left, and runs kept in order (Latin and numbers that touch: `2099-01-01T10:00Z`).
            var runs: [(rightToLeft: Bool, characters: [Character])] = []
            for (character, kind) in zip(characters, resolve(characters)) {
                let rightToLeft = kind == .rightToLeft
                if let last = runs.last, last.rightToLeft == rightToLeft {
                    runs[runs.count - 1].characters.append(character)
                } else {
                    runs.append((rightToLeft, [character]))
                }
            }
            reordered = runs.reversed().map { run in
                run.rightToLeft ? String(run.characters.reversed().map(mirrored)) : String(run.characters)
            }.joined()
        } else {
            // Nothing right to left in it (a case number, an English message): drawn as it is.
            reordered = String(characters)
        }
        reordered = reordered.replacingOccurrences(of: cellMark, with: "")
        return String(repeating: " ", count: max(width - reordered.count, 0)) + reordered
    }

    // MARK: Direction

    /// What a character does to the order: a simplified Unicode bidi algorithm
    /// (UAX #9) for one right-to-left paragraph without embeddings.
    enum Kind: Equatable {
        case rightToLeft
        case leftToRight
        /// Digits read left to right inside right-to-left text (a number after Arabic words, or opening the line).
        case number
        case neutral
    }

    static func kind(_ character: Character) -> Kind {
        guard let scalar = character.unicodeScalars.first?.value else { return .neutral }
        if (0x0660...0x0669).contains(scalar) || (0x06F0...0x06F9).contains(scalar) || ("0"..."9").contains(character) { return .number }
        if scalar == 0x200F || (0x0590...0x08FF).contains(scalar) || (0xFB1D...0xFDFF).contains(scalar) || (0xFE70...0xFEFF).contains(scalar) { return .rightToLeft }
        return character.isLetter || character.isNumber ? .leftToRight : .neutral
    }

    /// Each character's resolved kind: digits after Latin letters join them;
    /// other digits stay a number run; a neutral (space, punctuation) between
    /// two runs of the same kind takes that kind, otherwise the line's (right to left).
    static func resolve(_ characters: [Character]) -> [Kind] {
        var kinds = characters.map(kind)
        var lastStrong = Kind.rightToLeft
        for index in kinds.indices {
            switch kinds[index] {
            case .number: if lastStrong == .leftToRight { kinds[index] = .leftToRight }
            case .rightToLeft, .leftToRight: lastStrong = kinds[index]
            case .neutral: break
            }
        }
        resolveBrackets(characters, &kinds)
        var index = 0
        while index < kinds.count {
            guard kinds[index] == .neutral else { index += 1; continue }
            var end = index
            while end < kinds.count, kinds[end] == .neutral { end += 1 }
            let before = index > 0 ? kinds[index - 1] : .rightToLeft
            let after = end < kinds.count ? kinds[end] : .rightToLeft
            let resolved = before == after ? before : .rightToLeft
            for i in index..<end { kinds[i] = resolved }
            index = end
        }
        return kinds
    }

    /// A pair of brackets goes with what it holds: right to left if it holds
    /// Arabic, left to right if it holds only Latin and follows Latin
    /// (`Cedar Clinic (demo)` keeps its brackets around `demo`).
    static func resolveBrackets(_ characters: [Character], _ kinds: inout [Kind]) {
        let closing: [Character: Character] = ["(": ")", "[": "]", "{": "}"]
        var open: [(bracket: Character, index: Int)] = []
        for (index, character) in characters.enumerated() {
            if closing[character] != nil {
                open.append((character, index))
                continue
            }
            guard let match = open.lastIndex(where: { closing[$0.bracket] == character }) else { continue }
            let start = open[match].index
            open.removeSubrange(match...)
            let inside = kinds[(start + 1)..<index]
            let before = kinds[..<start].last { $0 == .leftToRight || $0 == .rightToLeft } ?? .rightToLeft
            let resolved: Kind? = inside.contains(.rightToLeft) ? .rightToLeft : inside.contains(.leftToRight) && before == .leftToRight ? .leftToRight : nil
            if let resolved {
                kinds[start] = resolved
                kinds[index] = resolved
            }
        }
    }

    static func mirrored(_ character: Character) -> Character {
        switch character {
        case "(": ")"
        case ")": "("
        case "[": "]"
        case "]": "["
        case "{": "}"
        case "}": "{"
        case "<": ">"
        case ">": "<"
        case "«": "»"
        case "»": "«"
        default: character
        }
    }

    // MARK: Shaping

    /// Each Arabic letter in the form its neighbours call for (isolated,
    /// final, initial, medial), and lam-alef as its ligature.
    static func shape(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard let forms = letters[scalar.value] else {
                out.append(scalar)
                index += 1
                continue
            }
            let joinsBefore = previousLetter(scalars, before: index).map { dualJoining($0) } ?? false
            // Lam followed by an alef: one ligature, isolated or final.
            if scalar.value == 0x0644, let next = nextLetter(scalars, after: index), let ligature = lamAlef[scalars[next].value] {
                out.append(Unicode.Scalar(joinsBefore ? ligature + 1 : ligature)!)
                // Marks between lam and alef are kept after the ligature.
                for mark in scalars[(index + 1)..<next] { out.append(mark) }
                index = next + 1
                continue
            }
            let joinsAfter = forms.count == 4 && (nextLetter(scalars, after: index).map { letters[scalars[$0].value] != nil } ?? false)
            let form: UInt32 = switch (joinsBefore, joinsAfter) {
            case (false, false): forms[0]
            case (true, false): forms.count > 1 ? forms[1] : forms[0]
            case (false, true): forms[2]
            case (true, true): forms[3]
            }
            out.append(Unicode.Scalar(form)!)
            index += 1
        }
        return String(out)
    }

    /// Harakat and other marks sit on a letter and do not break its joining.
    static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        (0x064B...0x065F).contains(scalar.value) || scalar.value == 0x0670
    }

    static func previousLetter(_ scalars: [Unicode.Scalar], before index: Int) -> Unicode.Scalar? {
        var i = index - 1
        while i >= 0, isMark(scalars[i]) { i -= 1 }
        return i >= 0 ? scalars[i] : nil
    }

    static func nextLetter(_ scalars: [Unicode.Scalar], after index: Int) -> Int? {
        var i = index + 1
        while i < scalars.count, isMark(scalars[i]) { i += 1 }
        return i < scalars.count ? i : nil
    }

    /// Whether the letter joins the one after it.
    static func dualJoining(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == 0x0640 || (letters[scalar.value]?.count ?? 0) == 4
    }

    /// Lam + (alef with madda, hamza above, hamza below, alef): the isolated ligature; +1 is the final one.
    static let lamAlef: [UInt32: UInt32] = [0x0622: 0xFEF5, 0x0623: 0xFEF7, 0x0625: 0xFEF9, 0x0627: 0xFEFB]

    /// Letter -> its forms: isolated, final (right-joining letters stop there), initial, medial.
    static let letters: [UInt32: [UInt32]] = {
        var table: [UInt32: [UInt32]] = [0x0621: [0xFE80], 0x0640: [0x0640, 0x0640, 0x0640, 0x0640]]
        // Right-joining letters: two forms each, from U+FE81 on.
        let rightJoining: [(UInt32, UInt32)] = [
            (0x0622, 0xFE81), (0x0623, 0xFE83), (0x0624, 0xFE85), (0x0625, 0xFE87), (0x0627, 0xFE8D), (0x0629, 0xFE93),
            (0x062F, 0xFEA9), (0x0630, 0xFEAB), (0x0631, 0xFEAD), (0x0632, 0xFEAF), (0x0648, 0xFEED), (0x0649, 0xFEEF),
        ]
        for (letter, first) in rightJoining { table[letter] = [first, first + 1] }
        // Dual-joining letters: four forms each.
        let dualJoining: [(UInt32, UInt32)] = [
            (0x0626, 0xFE89), (0x0628, 0xFE8F), (0x062A, 0xFE95), (0x062B, 0xFE99), (0x062C, 0xFE9D), (0x062D, 0xFEA1), (0x062E, 0xFEA5),
            (0x0633, 0xFEB1), (0x0634, 0xFEB5), (0x0635, 0xFEB9), (0x0636, 0xFEBD), (0x0637, 0xFEC1), (0x0638, 0xFEC5), (0x0639, 0xFEC9),
            (0x063A, 0xFECD), (0x0641, 0xFED1), (0x0642, 0xFED5), (0x0643, 0xFED9), (0x0644, 0xFEDD), (0x0645, 0xFEE1), (0x0646, 0xFEE5),
            (0x0647, 0xFEE9), (0x064A, 0xFEF1),
        ]
        for (letter, first) in dualJoining { table[letter] = [first, first + 1, first + 2, first + 3] }
        return table
    }()
}
