import Foundation
import Testing
@testable import FormKit

/// A case plan's goals, each with its actions: a repeat inside a repeat.
/// Expressions in the inner row see its own fields, the goal's, and the form's.
@Suite("Repeats inside repeats")
struct NestedRepeatTests {
    static let plan = """
        id: t/plan
        version: 1
        title: {en: Plan, ar: الخطة}
        sections:
          - id: main
            title: {en: Main, ar: رئيسي}
            fields:
              - {id: review_date, type: date, label: {en: Review date, ar: تاريخ المراجعة}}
              - id: goals
                type: repeat
                max_rows: 5
                label: {en: Goals, ar: الأهداف}
                fields:
                  - {id: goal, type: text, required: true, label: {en: Goal, ar: الهدف}}
                  - {id: urgent, type: yes_no, label: {en: Urgent?, ar: عاجل؟}}
                  - id: actions
                    type: repeat
                    min_rows: 1
                    max_rows: 3
                    label: {en: Actions, ar: الإجراءات}
                    fields:
                      - {id: action, type: text, required: true, label: {en: Action, ar: الإجراء}}
                      - id: due
                        type: date
                        required_if: "urgent == true"
                        valid_if: "empty(review_date) or due <= review_date"
                        message: {en: Due by the review, ar: قبل المراجعة}
                        label: {en: Due, ar: الموعد}
                      - {id: due_days, type: calculated, expr: "days_between(review_date, due)", label: {en: Days, ar: أيام}}
        """

    @Test func innerRowsSeeTheirGoalAndTheForm() throws {
        let catalog = try DefinitionFixture.load(form: Self.plan)
        #expect(catalog.diagnostics.map(\.description) == [])
        let validator = try DefinitionFixture.validator(Self.plan)
        let submission = try JSONDecoder().decode([String: SubmittedValue].self, from: Data("""
            {"review_date": "2026-12-01", "goals": [
              {"goal": "Safe housing", "urgent": true, "actions": [{"action": "Call shelter"}, {"action": "Visit", "due": "2026-12-20"}]},
              {"goal": "School", "urgent": false, "actions": []}
            ]}
            """.utf8))
        let result = validator.validate(submission, today: Day(year: 2026, month: 11, day: 25)!)
        #expect(result.problems.map { "\($0.path) \($0.code)" }.sorted() == [
            "/goals/0/actions/0/due required", "/goals/0/actions/1/due invalid", "/goals/1/actions too-few-rows",
        ])
    }

    @Test func anUnknownFieldInAnInnerRowIsALoadError() throws {
        let broken = Self.plan.replacingOccurrences(of: "required_if: \"urgent == true\"", with: "required_if: \"urgnt == true\"")
        let catalog = try DefinitionFixture.load(form: broken)
        #expect(catalog.errors.contains { $0.code == "FK021" && $0.message.contains("urgnt") })
    }
}
