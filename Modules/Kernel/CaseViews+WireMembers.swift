import AmanaCore

// The views a response repeats many times write their own members (a page of 50 cases, a
// caseworker's tasks, a case's forms, next steps and history): keys snake_case and in sorted
// order, `nil` left out, as their `Encodable` conformance writes them. `WireJSONEncoderTests`
// holds the two to the same bytes, so a property added here and not there (or there and not
// here) fails a test.

extension CaseSummary: WireMembers {
    public func writeMembers(to object: inout WireObject) {
        object.write("case_number", caseNumber)
        object.write("case_type", caseType)
        object.write("closed", closed)
        object.write("id", id)
        object.write("owner", owner)
        object.write("risk_level", riskLevel)
        object.write("state", state)
        object.write("updated_at", updatedAt)
        object.write("version", version)
    }
}

extension TaskView: WireMembers {
    public func writeMembers(to object: inout WireObject) {
        object.write("assignee", assignee)
        object.write("case_id", caseId)
        object.write("case_number", caseNumber)
        object.write("due_at", dueAt)
        object.write("id", id)
        object.write("overdue", overdue)
        object.write("risk_level", riskLevel)
        object.write("status", status)
        object.write("title", title)
    }
}

extension FormEntry: WireMembers {
    public func writeMembers(to object: inout WireObject) {
        object.write("at", at)
        object.write("by", by)
        object.write("entry", entry)
        object.write("form_id", formId)
        object.write("form_version", formVersion)
        object.write("readable", readable)
        object.write("title", title)
        object.write("version", version)
    }
}

extension TransitionView: WireMembers {
    public func writeMembers(to object: inout WireObject) {
        object.write("available", available)
        object.write("blocked_by", blockedBy)
        object.write("can_request_approval", canRequestApproval)
        object.write("id", id)
        object.write("label", label)
        object.write("to", to)
    }
}

extension TransitionView.Reason: WireMembers {
    public func writeMembers(to object: inout WireObject) {
        object.write("code", code)
        object.write("message", message)
    }
}

extension StateChangeView: WireMembers {
    public func writeMembers(to object: inout WireObject) {
        object.write("at", at)
        object.write("by", by)
        object.write("from", from)
        object.write("reason", reason)
        object.write("to", to)
        object.write("transition", transition)
    }
}
