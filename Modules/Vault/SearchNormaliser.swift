import Foundation

/// Turns a value into the canonical form a blind index is computed over, so
/// that the same name typed two ways finds the same case.
///
/// Unicode NFKC, case folding, whitespace collapsed, and for Arabic: diacritics
/// (harakat, superscript alef) and tatweel removed, alef variants folded to bare
/// alef, alef maqsura and Farsi ya to ya, ta marbuta to ha, and hamza on a
/// carrier to its carrier (ؤ to و, ئ to ي), the spellings people vary most.
/// Arabic-Indic and Persian digits become 0-9, and a phone number keeps only
/// its digits: `0770 123-4567`, `07701234567` and `٠٧٧٠١٢٣٤٥٦٧` are one number.
public enum SearchNormaliser {
    public static func normalise(_ value: String) -> String {
        let digitsFolded = String(String.UnicodeScalarView(value.unicodeScalars.map(asciiDigit)))
        if let phone = phoneDigits(digitsFolded) { return phone }
        let folded = digitsFolded.utf8.allSatisfy { $0 < 0x80 } ? asciiFolded(digitsFolded) : foundationFolded(digitsFolded)
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in folded.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            guard let kept = foldArabic(scalar) else { continue }
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.append(kept)
        }
        return String(out)
    }

    /// NFKC, then case and width folded, by Foundation (ICU).
    static func foundationFolded(_ value: String) -> String {
        value.precomposedStringWithCompatibilityMapping.folding(options: [.caseInsensitive, .widthInsensitive], locale: nil)
    }

    /// The same for plain ASCII (most Latin names), without ICU: ASCII is already NFKC and of
    /// one width, and folds case to its lower case letters. A case's save computes a blind
    /// index for every identifying answer, so this is on every save's path.
    static func asciiFolded(_ value: String) -> String {
        String(decoding: value.utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    /// ٠-٩ and ۰-۹ as 0-9.
    static func asciiDigit(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0x0660...0x0669: Unicode.Scalar(scalar.value - 0x0660 + 0x30)!
        case 0x06F0...0x06F9: Unicode.Scalar(scalar.value - 0x06F0 + 0x30)!
        default: scalar
        }
    }

    /// The digits of a value that is a phone number (digits with spaces,
    /// dashes, dots, brackets or a leading +, at least six digits); nil otherwise.
    static func phoneDigits(_ value: String) -> String? {
        value.utf8.allSatisfy { $0 < 0x80 } ? asciiPhoneDigits(value) : foundationPhoneDigits(value)
    }

    /// ``phoneDigits(_:)`` of plain ASCII (nearly every number typed), without Foundation's
    /// trimming or grapheme breaking: every identifying answer of every save comes here.
    static func asciiPhoneDigits(_ value: String) -> String? {
        let bytes = Array(value.utf8)
        // ASCII's White_Space characters, those `.whitespacesAndNewlines` trims.
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        var start = 0
        var end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        var digits: [UInt8] = []
        for index in start..<end {
            switch bytes[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits.append(bytes[index])
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "/"): continue
            case UInt8(ascii: "+") where index == start: continue
            default: return nil
            }
        }
        return digits.count >= 6 ? String(decoding: digits, as: UTF8.self) : nil
    }

    /// ``phoneDigits(_:)`` of any text, by Foundation.
    static func foundationPhoneDigits(_ value: String) -> String? {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        let separators: Set<Character> = [" ", "-", ".", "(", ")", "/"]
        var digits = ""
        for (index, character) in trimmed.enumerated() {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if !(separators.contains(character) || (character == "+" && index == 0)) {
                return nil
            }
        }
        return digits.count >= 6 ? digits : nil
    }

    /// The Arabic folding, or nil for a mark that is dropped.
    static func foldArabic(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        switch scalar.value {
        case 0x064B...0x065F, 0x0670, 0x0640, 0x06D6...0x06ED:
            return nil  // harakat, superscript alef, tatweel, Quranic marks
        case 0x0622, 0x0623, 0x0625, 0x0671, 0x0672, 0x0673:
            return "\u{0627}"  // آ أ إ ٱ -> ا
        case 0x0649, 0x06CC, 0x064A:
            return "\u{064A}"  // ى ی -> ي
        case 0x0629:
            return "\u{0647}"  // ة -> ه
        case 0x0624:
            return "\u{0648}"  // ؤ -> و
        case 0x0626:
            return "\u{064A}"  // ئ -> ي
        default:
            return scalar
        }
    }
}
