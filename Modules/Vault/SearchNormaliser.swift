import Foundation

/// Turns a value into the canonical form a blind index is computed over, so
/// that the same name typed two ways finds the same case.
///
/// Unicode NFKC, case folding, whitespace collapsed, and for Arabic: diacritics
/// (harakat, superscript alef) and tatweel removed, alef variants folded to bare
/// alef, alef maqsura and Farsi ya to ya, ta marbuta to ha, and hamza on a
/// carrier to its carrier (ؤ to و, ئ to ي), the spellings people vary most.
public enum SearchNormaliser {
    public static func normalise(_ value: String) -> String {
        let compatible = value.precomposedStringWithCompatibilityMapping
        let folded = compatible.folding(options: [.caseInsensitive, .widthInsensitive], locale: nil)
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
