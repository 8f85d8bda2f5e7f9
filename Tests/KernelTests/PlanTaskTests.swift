import AmanaCore
import Foundation
import FormKit
import Identity
import Store
import Testing
@testable import Kernel

/// The case action plan as a living part of the case: its actions are tasks.
@Suite("Plan actions as tasks")
struct PlanTaskTests {
    func plan(_ f: KernelFixture, actions: [(String, Int, String)]) -> [String: JSONValue] {
        var plan = DemoAnswers.casePlan(day: f.day)
        let rows: [JSONValue] = actions.map { text, days, status in
            .object([
                "action": .string(text), "responsible": "caseworker", "status": .string(status),
                "due_date": .string(Day(f.clock.now().addingTimeInterval(TimeInterval(days * 86_400))).description),
            ])
        }
        plan["goals"] = [.object(["goal": "Safety at home.", "need_addressed": "safety", "actions": .array(rows)])]
        return plan
    }

    func planTasks(_ f: KernelFixture, _ id: String) async throws -> [TaskRecord] {
        try await f.kernel.store.tasks(caseID: CaseID(id)).filter { $0.subject?.hasPrefix("rows:core/case-plan#1:") == true }
    }

    @Test func eachOpenActionIsATaskAndSavingThePlanAgainBringsThemInLine() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example")
        let first = try await f.kernel.submitForm(
            caseID: id, formID: "core/case-plan",
            values: plan(f, actions: [("Accompany her to the clinic.", 3, "not_started"), ("Find a safe shelter.", 5, "done")]), expectVersion: nil, actor: amal,
            requestID: "t")
        let open = try await planTasks(f, id)
        #expect(open.count == 1 && open[0].status == .open && open[0].assigneeID == amal.userID)
        let detail = try await f.kernel.caseDetail(id: id, actor: amal, requestID: "t")
        let task = try #require(detail.tasks.first { $0.title == "Plan: Accompany her to the clinic." })
        #expect(Day(task.dueAt) == Day(f.clock.now().addingTimeInterval(3 * 86_400)))
        // The subject names the action by a keyed digest, never in words.
        #expect(!(open[0].subject ?? "").contains("clinic"))

        // Reviewed at follow-up: the clinic visit is done, a new action is added.
        let second = try await f.kernel.submitForm(
            caseID: id, formID: "core/case-plan",
            values: plan(f, actions: [("Accompany her to the clinic.", 3, "done"), ("Legal counselling appointment.", 10, "not_started")]),
            expectVersion: first.version, actor: amal, requestID: "t")
        let after = try await planTasks(f, id)
        #expect(after.filter { $0.status == .open }.count == 1 && after.filter { $0.status == .cancelled }.count == 1)
        let newTask = try #require(try await f.kernel.caseDetail(id: id, actor: amal, requestID: "t").tasks.first { $0.title.hasPrefix("Plan:") })
        #expect(newTask.title == "Plan: Legal counselling appointment.")

        // A task done by hand stays done: saving the plan unchanged adds no second one.
        try await f.kernel.completeTask(caseID: id, taskID: newTask.id, actor: amal, requestID: "t")
        _ = try await f.kernel.submitForm(
            caseID: id, formID: "core/case-plan",
            values: plan(f, actions: [("Accompany her to the clinic.", 3, "done"), ("Legal counselling appointment.", 10, "not_started")]),
            expectVersion: second.version, actor: amal, requestID: "t")
        #expect(try await planTasks(f, id).count == 2)
        // Every version of the plan is kept: its history.
        #expect(try await f.kernel.submissionHistory(caseID: id, formID: "core/case-plan", entry: 1, actor: amal, requestID: "t").map(\.version) == [1, 2, 3])
    }
}
