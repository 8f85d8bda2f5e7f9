import Testing
@testable import AmanaTUI

/// Arabic drawn for a terminal that neither shapes nor reorders.
@Suite("Right to left")
struct RightToLeftTests {
    @Test func lettersJoinByTheirNeighbours() {
        // س (initial) ل (medial) ا (final, after lam: the lam-alef ligature) م (isolated after alef)
        #expect(RightToLeft.shape("سلام") == "\u{FEB3}\u{FEFC}\u{FEE1}")
        // ب alone, then بب: initial + final
        #expect(RightToLeft.shape("ب") == "\u{FE8F}")
        #expect(RightToLeft.shape("بب") == "\u{FE91}\u{FE90}")
        // A harakah between two letters does not break the join.
        #expect(RightToLeft.shape("بَب") == "\u{FE91}\u{064E}\u{FE90}")
        #expect(RightToLeft.shape("abc 12") == "abc 12")
    }

    @Test func aLineIsReversedButLatinAndNumbersKeepTheirOrder() {
        // Logical: "الحالة DEMO-2026-000001 (عاجلة)" — the case number reads left to right inside right-to-left text.
        let visual = RightToLeft.visual("ب DEMO-2026-1 (ب)", width: 20)
        #expect(visual == "   (\u{FE8F}) DEMO-2026-1 \u{FE8F}")
        #expect(visual.count == 20)
        // A date and time typed after an Arabic label reads as typed; a number after Arabic words stays beside them.
        #expect(RightToLeft.visual("ب: 2099-01-01T10:00:00Z", width: 0) == "2099-01-01T10:00:00Z :\u{FE8F}")
        #expect(RightToLeft.visual("ب 1 · amal", width: 0) == "amal · 1 \u{FE8F}")
        // Brackets around Latin after Latin stay with it; around Arabic they are mirrored with it.
        #expect(RightToLeft.visual("ب Clinic (demo).", width: 0) == ".Clinic (demo) \u{FE8F}")
        #expect(RightToLeft.visual("ب (ب)", width: 0) == "(\u{FE8F}) \u{FE8F}")
    }

    @Test func theSignInScreenInArabicIsAlignedRight() {
        var state = TUIState()
        state.language = "ar"
        let lines = Screens.lines(state, width: 80, height: 24)
        #expect(lines.allSatisfy { $0.text.count == 80 || $0.text.trimmingCharacters(in: .whitespaces).isEmpty })
        #expect(lines[0].text.hasSuffix(RightToLeft.visual("أمانة — تسجيل الدخول", width: 0)))
    }
}
