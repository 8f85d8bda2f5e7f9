import Foundation
import Kernel

/// How a case reads on a terminal.
enum CaseLines {
    static func print(_ cases: [CaseSummary]) {
        guard !cases.isEmpty else { return Swift.print("No cases.") }
        CLIOutput.table(["CASE", "TYPE", "STATE", "RISK", "OWNER", "VERSION", "UPDATED"], cases.map {
            [$0.caseNumber, $0.caseType, $0.state, $0.riskLevel ?? "-", $0.owner, "\($0.version)", CLIOutput.time($0.updatedAt)]
        })
    }

    static func print(_ detail: CaseDetail) {
        let s = detail.summary
        Swift.print("\(s.caseNumber)  \(s.caseType)  \(detail.stateLabel) (\(s.state))  risk \(s.riskLevel ?? "not set")  version \(s.version)")
        var held = "Held by \(s.owner)"
        if let team = detail.team { held += ", team \(team)" }
        held += "; opened \(CLIOutput.time(detail.createdAt))"
        if let closed = detail.closedAt { held += "; closed \(CLIOutput.time(closed))" }
        if !detail.members.isEmpty { held += "; also working on it: \(detail.members.joined(separator: ", "))" }
        Swift.print(held)
        Swift.print("\nForms:")
        if detail.forms.isEmpty { Swift.print("  none yet") }
        for form in detail.forms {
            let readable = form.readable ? "" : "  (answers not readable by your role)"
            Swift.print("  \(form.formId) #\(form.entry)  version \(form.version)  \(form.title)  saved \(CLIOutput.time(form.at)) by \(form.by)\(readable)")
        }
        printSteps(detail.transitions)
        if !detail.tasks.isEmpty {
            Swift.print("\nTasks:")
            for task in detail.tasks { Swift.print("  " + line(task)) }
        }
        if !detail.attachments.isEmpty {
            Swift.print("\nAttachments:")
            for a in detail.attachments { Swift.print("  \(a.id)  \(a.name)  \(a.contentType)  \(a.bytes) bytes  added \(CLIOutput.time(a.at)) by \(a.by)") }
        }
        if !detail.approvals.isEmpty {
            Swift.print("\nApprovals:")
            for approval in detail.approvals { Swift.print("  " + line(approval)) }
        }
        Swift.print("\nHistory:")
        for change in detail.history {
            let step = change.transition.map { "\($0): \(change.from ?? "") -> \(change.to)" } ?? "opened in \(change.to)"
            Swift.print("  \(CLIOutput.time(change.at))  \(change.by)  \(step)\(change.reason.map { " (reason: \($0))" } ?? "")")
        }
    }

    /// The steps out of the case's state: open ones, and why the others are not.
    static func printSteps(_ transitions: [TransitionView]) {
        Swift.print("\nNext steps:")
        if transitions.isEmpty { Swift.print("  none from this state for your role") }
        for step in transitions {
            Swift.print("  \(step.available ? "ready  " : "blocked") \(step.id) -> \(step.to)  \(step.label)")
            for reason in step.blockedBy { Swift.print("            - \(reason.message)") }
            if step.canRequestApproval { Swift.print("            (ask for approval: amana approval request CASE \(step.id))") }
        }
    }

    static func line(_ task: TaskView) -> String {
        "\(task.id)  \(task.caseNumber)  \(task.title)  due \(CLIOutput.time(task.dueAt))\(task.overdue ? " OVERDUE" : "")  \(task.assignee)  \(task.status)"
    }

    static func line(_ approval: ApprovalView) -> String {
        var text = "\(approval.id)  \(approval.caseNumber)  \(approval.transitionLabel)  \(approval.status)  asked by \(approval.requestedBy) \(CLIOutput.time(approval.requestedAt))"
        if let by = approval.decidedBy { text += "; \(approval.status) by \(by)" }
        if let comment = approval.comment { text += ": \(comment)" }
        return text
    }
}
