import AmanaCore
import FormKit
import Testing
@testable import AmanaTUI

/// Filling in forms generated from their definitions, without a terminal.
@Suite("TUI forms")
struct FormEditorTests {
    func text(_ editor: FormEditor, height: Int = 200) -> [String] {
        var state = TUIState()
        state.screen = .form
        state.editor = editor
        return Screens.lines(state, width: 100, height: height).map(\.text)
    }

    @Test func everyFieldTypeIsDrawnAndFilledAndSubmittedAsTheKernelTakesIt() {
        var e = FormFixture.editor()
        #expect(e.focus == "/name", "the cursor starts on the first input, not on the note")
        e.type("Noor")
        e.go(to: "/story")
        _ = e.handle(.paste("She came on Monday.\nShe was afraid."))
        e.go(to: "/weight")
        e.type("52.5")
        e.go(to: "/children")
        e.type("٣")  // an Arabic-Indic digit is a number too
        e.go(to: "/day")
        e.type("2026-11-20")
        e.go(to: "/moment")
        e.type("2026-11-20T10:00:00Z")
        e.go(to: "/violence")
        _ = e.handle(.enter)
        #expect(e.picker?.options.map(\.label) == ["Rape", "Sexual assault", "Physical assault"])
        _ = e.handle(.down)
        _ = e.handle(.enter)
        e.go(to: "/also")
        _ = e.handle(.enter)
        _ = e.handle(.character(" "))
        _ = e.handle(.down)
        _ = e.handle(.down)
        _ = e.handle(.character(" "))
        _ = e.handle(.enter)
        e.go(to: "/place")
        _ = e.handle(.enter)
        #expect(e.picker?.options.map(\.code) == ["dist_a1", "dist_a2"], "a location offers only its level")
        _ = e.handle(.enter)
        e.go(to: "/disabled")
        _ = e.handle(.character("n"))
        e.go(to: "/agreed")
        _ = e.handle(.character(" "))
        e.go(to: "/signed")
        e.type("N.")
        e.go(to: "/scan")
        _ = e.handle(.enter)
        _ = e.handle(.enter)
        let values = e.submission
        #expect(values["name"] == "Noor")
        #expect(values["story"] == "She came on Monday.\nShe was afraid.")
        #expect(values["weight"] == .number(52.5) && values["children"] == .number(3))
        #expect(values["day"] == "2026-11-20" && values["moment"] == "2026-11-20T10:00:00Z")
        #expect(values["violence"] == "sexual_assault" && values["also"] == ["rape", "physical_assault"] && values["place"] == "dist_a1")
        #expect(values["disabled"] == false && values["agreed"] == true && values["signed"] == "N." && values["scan"] == "att-1")
        #expect(e.check.isValid, "\(e.check.problems)")
        let lines = text(e)
        #expect(lines.contains("  Ask gently."))
        #expect(lines.contains("  Name *: Noor"))
        #expect(lines.contains("    She was afraid."))
        #expect(lines.contains("  Violence: Sexual assault"))
        #expect(lines.contains("  Also: Rape, Physical assault"))
        #expect(lines.contains("  Place: District A1"))
        #expect(lines.contains("  Has a disability: No"))
        #expect(lines.contains("  [x] Agreed *"))
        #expect(lines.contains("▸ Scan: consent-scan.pdf"))
        #expect(lines.contains("  Twice the children: 6"), "a calculated field shows its value as you type")
        #expect(e.handle(.ctrl("s")) == .save)
    }

    @Test func showIfAppliesAsYouTypeAndAHiddenAnswerIsNotSent() {
        var e = FormFixture.editor()
        #expect(!text(e).contains { $0.contains("Which disability") })
        e.go(to: "/disabled")
        _ = e.handle(.character("y"))
        #expect(text(e).contains("  Which disability *: "))
        _ = e.handle(.down)
        #expect(e.focus == "/disability")
        e.type("sight")
        e.go(to: "/disabled")
        _ = e.handle(.character("n"))
        #expect(!text(e).contains { $0.contains("Which disability") })
        #expect(e.check.accepted["disability"] == nil, "what a hidden field held is not saved")
    }

    @Test func problemsShowUnderTheirFieldOnceLeftAndAllOnSaveAndGoWhenFixed() {
        var e = FormFixture.editor()
        _ = e.handle(.down)  // leaves the name empty
        var lines = text(e)
        let name = lines.firstIndex(of: "  Name *: ")!
        #expect(lines[name + 1] == "    ⚠ This field is required.")
        #expect(!lines.contains { $0.contains("must be ticked") || $0.contains("Agreed") && $0.contains("⚠") }, "fields not visited yet stay quiet")
        e.go(to: "/weight")
        e.type("abc")
        _ = e.handle(.down)
        #expect(text(e).contains { $0.contains("⚠") && $0.contains("number") })
        guard case .say(let message)? = e.handle(.ctrl("s")) else {
            Issue.record("a form with problems is not sent")
            return
        }
        #expect(message.hasPrefix("3 problem(s)"))
        #expect(e.focus == "/name", "the cursor goes to the first problem")
        lines = text(e)
        let agreed = lines.firstIndex(of: "  [ ] Agreed *")!
        #expect(lines[agreed + 1].contains("⚠"))
        e.type("Noor")
        e.go(to: "/weight")
        _ = e.handle(.ctrl("u"))
        e.go(to: "/agreed")
        _ = e.handle(.character(" "))
        #expect(!text(e).contains { $0.contains("⚠") })
        #expect(e.handle(.ctrl("s")) == .save)
    }

    @Test func repeatsAddAndRemoveRowsUpToTheirLimit() {
        var e = FormFixture.editor()
        e.go(to: "/others")
        #expect(text(e).contains("  ▸ + Add a row (Enter)"))
        _ = e.handle(.enter)
        #expect(e.focus == "/others/0/other_name", "a new row opens on its first field")
        e.type("Sara")
        e.go(to: "/others")
        _ = e.handle(.enter)
        e.type("Huda")
        _ = e.handle(.down)
        e.type("40")
        e.go(to: "/others")
        #expect(e.handle(.enter) == .say("At most 2 rows."))
        #expect(e.submission["others"] == [["other_name": "Sara"], ["other_name": "Huda", "other_age": .number(40)]])
        e.go(to: "/others/0")
        #expect(text(e).contains("  ▸ — Row 1 — · Ctrl-X removes this row"))
        #expect(e.handle(.ctrl("x")) == .say("Row removed."))
        #expect(e.submission["others"] == [["other_name": "Huda", "other_age": .number(40)]])
        #expect(text(e).contains("  Others · 1 row(s)"))
    }

    @Test func aLookupIsSearchedByTyping() {
        var e = FormFixture.editor()
        e.go(to: "/violence")
        _ = e.handle(.character("a"))
        _ = e.handle(.character("s"))
        _ = e.handle(.character("s"))
        #expect(e.picker?.shown.map(\.code) == ["sexual_assault", "physical_assault"])
        _ = e.handle(.character("z"))
        var state = TUIState()
        state.screen = .form
        state.editor = e
        #expect(Screens.lines(state, width: 80, height: 24).map(\.text).contains("No option holds “assz”."))
        _ = e.handle(.backspace)
        _ = e.handle(.down)
        _ = e.handle(.enter)
        #expect(e.submission["violence"] == "physical_assault" && e.picker == nil)
    }

    @Test func pastingLongTextStopsAtTheFieldLimitAndASingleLineFieldTakesNoLineBreak() {
        var e = FormFixture.editor()
        let outcome = e.handle(.paste("Noor\nAl Hassan with a very long family name"))
        #expect(outcome == .say("This field takes at most 20 characters; the rest was not added."))
        #expect(e.submission["name"] == "Noor Al Hassan with ")
    }

    @Test func leavingWithChangesAsksFirst() {
        var e = FormFixture.editor()
        #expect(e.handle(.escape) == .leave, "nothing changed: leave at once")
        e.type("N")
        guard case .say? = e.handle(.escape) else {
            Issue.record("changes are not dropped on one Esc")
            return
        }
        #expect(e.handle(.escape) == .leave)
    }

    @Test func aChangeMadeMeanwhileIsShownAndMineAreReappliedOverIt() {
        var e = FormFixture.editor(answers: ["name": "Noor", "children": .number(2), "agreed": true], version: 3)
        e.go(to: "/children")
        _ = e.handle(.ctrl("u"))
        e.type("4")
        e.conflicted(version: 4, by: "huda", theirs: ["name": "Noor H.", "children": .number(2), "agreed": true, "violence": "rape"])
        let lines = text(e)
        #expect(lines.contains("Someone saved this form after you opened it: version 4, by huda."))
        #expect(lines.contains("  Name: Noor → Noor H."))
        #expect(lines.contains("  Violence: — → Rape"))
        #expect(lines.contains("  Children: 2 → 4"))
        _ = e.handle(.enter)
        #expect(e.version == 4 && e.conflict == nil)
        #expect(e.submission["name"] == "Noor H." && e.submission["violence"] == "rape" && e.submission["children"] == .number(4))
    }

    @Test func theShippedRegistrationShowsWhoReferredOnlyForAReferralSource() throws {
        var e = FormFixture.editor("core/registration", catalog: FormFixture.shipped)
        let source = try #require(e.items.first { $0.path == "/identified_through" })
        let before = e.items.count
        e.go(to: source.path!)
        _ = e.handle(.enter)
        let index = try #require(e.picker?.options.firstIndex { $0.code == "agency_referral" })
        for _ in 0..<index { _ = e.handle(.down) }
        _ = e.handle(.enter)
        #expect(e.items.count > before, "a referral source shows the fields about who referred")
    }

    @Test func anArabicFormIsLaidOutRightToLeft() {
        var e = FormFixture.editor(language: "ar")
        e.type("نور")
        var state = TUIState()
        state.language = "ar"
        state.screen = .form
        state.editor = e
        let lines = Screens.lines(state, width: 80, height: 24).map(\.text)
        #expect(lines.allSatisfy { $0.count <= 80 })
        // "▸ الاسم *: نور▏" drawn right to left: the marker at the right edge, letters joined.
        let name = lines.first { $0.hasSuffix("▸") }
        #expect(name?.trimmingCharacters(in: .whitespaces) == "▏ﺭﻮﻧ :* ﻢﺳﻻﺍ ▸")
    }
}
