import AmanaCore
import Yams
import YAMLSupport

/// A workflow or consent policy as read, with what the cross-plugin checks
/// still have to resolve: the forms and roles it names and its expressions.
struct ParsedCaseDefinition<Definition> {
    var definition: Definition
    var references: [DefinitionReference]
    var conditions: [FormCondition]
    /// Fields the definition reads directly (a policy's date of birth), with the type they must have.
    var fields: [FieldExpectation] = []
}

/// A field of a form that a definition reads, and the type it must have.
struct FieldExpectation {
    var form: String
    var field: String
    /// Nil: any type (the field must only exist).
    var type: ValueType?
    var node: Node
    var file: String
    /// Whether an overlay may not hide it. An answer a consent may let be shared can be
    /// hidden: a hidden answer is never shared.
    var protects = true
}

/// A form or role named in a definition, with where it was named.
struct DefinitionReference {
    enum Kind { case form, role }
    var kind: Kind
    var id: String
    var node: Node
    var file: String
}

/// An expression evaluated over one form's answers (a transition's
/// condition, a policy exception's `when`): type-checked against that form.
struct FormCondition {
    var form: String
    var expression: Expression
    var node: Node
    var file: String
    var what: String
}

/// Reads one workflow file.
struct WorkflowParser {
    var parser: DefinitionParser
    let plugin: String
    var references: [DefinitionReference] = []
    var conditions: [FormCondition] = []

    init(file: String, plugin: String, languages: [String]) {
        parser = DefinitionParser(file: file, languages: languages)
        self.plugin = plugin
    }

    static let keys = ["id", "title", "initial", "states", "transitions", "timers"]
    static let stateKeys = ["id", "label", "final"]
    static let transitionKeys = ["id", "from", "to", "label", "roles", "requires"]
    static let requirementKeys = ["forms", "consent", "approval", "case_conference", "conditions"]
    static let conditionKeys = ["form", "expr", "message"]
    static let timerKeys = ["id", "on", "after", "urgent_after", "after_by_risk", "cancel_on", "task"]
    static let taskKeys = ["title", "assignee"]

    mutating func parse(_ root: Node) -> ParsedCaseDefinition<WorkflowDefinition>? {
        guard let keys = parser.reader.mapping(root, what: "a workflow", allowed: Self.keys, required: ["id", "title", "initial", "states", "transitions"]) else { return nil }
        let id = parser.definitionID(keys["id"], what: "workflow", namespace: plugin)
        let title = parser.translations(keys["title"], what: "the workflow title")
        let states = list(keys["states"], what: "states") { parser, node in parser.state(node) }
        let stateIDs = Set(states.map(\.id))
        uniqueIDs(states.map(\.id), keys["states"], what: "state")
        if !states.isEmpty, !states.contains(where: \.final) {
            parser.error(keys["states"], "FK083", "no state is final: a case could never be closed (mark one 'final: true')")
        }
        let initial = keys["initial"].flatMap { parser.reader.string($0, what: "initial") }
        if let initial { knownState(initial, keys["initial"]!, stateIDs) }
        let transitions = list(keys["transitions"], what: "transitions") { parser, node in parser.transition(node, stateIDs) }
        uniqueIDs(transitions.map(\.id), keys["transitions"], what: "transition")
        let timers = list(keys["timers"], what: "timers") { parser, node in parser.timer(node, stateIDs) }
        uniqueIDs(timers.map(\.id), keys["timers"], what: "timer")
        if let initial, stateIDs.contains(initial) { unreachableStates(from: initial, states, transitions, keys["states"]!) }
        guard let id, let title, let initial else { return nil }
        let workflow = WorkflowDefinition(id: id, title: title, initial: initial, states: states, transitions: transitions, timers: timers, plugin: plugin, position: parser.position(root))
        return ParsedCaseDefinition(definition: workflow, references: references, conditions: conditions)
    }

    mutating func list<T>(_ node: Node?, what: String, _ item: (inout Self, Node) -> T?) -> [T] {
        guard let node, let nodes = parser.reader.sequence(node, what: what) else { return [] }
        return nodes.compactMap { item(&self, $0) }
    }

    mutating func uniqueIDs(_ ids: [String], _ node: Node?, what: String) {
        var seen: Set<String> = []
        for id in ids where !seen.insert(id).inserted { parser.error(node, "FK080", "duplicate \(what) id '\(id)'") }
    }

    mutating func knownState(_ id: String, _ node: Node, _ states: Set<String>) {
        if !states.contains(id) {
            parser.error(node, "FK081", "unknown state '\(id)'\(YAMLReader.didYouMean(id, in: Array(states)))")
        }
    }

    mutating func state(_ node: Node) -> WorkflowDefinition.State? {
        guard let keys = parser.reader.mapping(node, what: "a state", allowed: Self.stateKeys, required: ["id", "label"]),
              let id = parser.code(keys["id"], what: "state id"),
              let label = parser.translations(keys["label"], what: "the label of state '\(id)'") else { return nil }
        let final = keys["final"].flatMap { parser.reader.bool($0, what: "final") } ?? false
        return .init(id: id, label: label, final: final)
    }

    mutating func transition(_ node: Node, _ states: Set<String>) -> WorkflowDefinition.Transition? {
        guard let keys = parser.reader.mapping(node, what: "a transition", allowed: Self.transitionKeys, required: ["id", "from", "to", "label"]),
              let id = parser.code(keys["id"], what: "transition id") else { return nil }
        let label = parser.translations(keys["label"], what: "the label of transition '\(id)'")
        var from: [String] = []
        if let node = keys["from"] {
            if case .sequence = node { from = parser.reader.strings(node, what: "from") ?? [] } else if let one = parser.reader.string(node, what: "from") { from = [one] }
            for state in from { knownState(state, node, states) }
        }
        let to = keys["to"].flatMap { parser.reader.string($0, what: "to") }
        if let to { knownState(to, keys["to"]!, states) }
        let roles = roleList(keys["roles"], what: "roles")
        let requires = keys["requires"].map { requirements($0, transition: id) } ?? .init()
        guard let label, let to else { return nil }
        return .init(id: id, from: from, to: to, label: label, roles: roles, requires: requires)
    }

    mutating func roleList(_ node: Node?, what: String) -> [String] {
        guard let node, let items = parser.reader.sequence(node, what: what) else { return [] }
        return items.compactMap { item in
            guard let role = parser.reader.string(item, what: "a role") else { return nil }
            references.append(.init(kind: .role, id: role, node: item, file: parser.file))
            return role
        }
    }

    mutating func requirements(_ node: Node, transition: String) -> WorkflowDefinition.Requirements {
        var out = WorkflowDefinition.Requirements()
        guard let keys = parser.reader.mapping(node, what: "requires", allowed: Self.requirementKeys) else { return out }
        if let list = keys["forms"].flatMap({ parser.reader.sequence($0, what: "forms") }) {
            for item in list {
                guard let form = parser.reader.string(item, what: "a form id") else { continue }
                references.append(.init(kind: .form, id: form, node: item, file: parser.file))
                out.forms.append(form)
            }
        }
        if let node = keys["consent"] { out.consent = scopes(node) }
        if let node = keys["approval"], let role = parser.reader.string(node, what: "approval") {
            references.append(.init(kind: .role, id: role, node: node, file: parser.file))
            out.approval = role
        }
        out.caseConference = keys["case_conference"].flatMap { parser.reader.bool($0, what: "case_conference") } ?? false
        if let list = keys["conditions"].flatMap({ parser.reader.sequence($0, what: "conditions") }) {
            for item in list {
                guard let c = parser.reader.mapping(item, what: "a condition", allowed: Self.conditionKeys, required: ["form", "expr", "message"]),
                      let form = parser.reader.string(c["form"]!, what: "form"),
                      let (expression, exprNode) = parser.expression(c["expr"], what: "the condition of '\(transition)'"),
                      let message = parser.translations(c["message"], what: "the message of a condition of '\(transition)'") else { continue }
                references.append(.init(kind: .form, id: form, node: c["form"]!, file: parser.file))
                conditions.append(.init(form: form, expression: expression, node: exprNode, file: parser.file, what: "the condition of '\(transition)'"))
                out.conditions.append(.init(form: form, expression: expression, message: message))
            }
        }
        return out
    }

    /// Consent scopes, each one the kernel knows.
    mutating func scopes(_ node: Node) -> [ConsentScope] {
        guard let items = parser.reader.sequence(node, what: "consent scopes") else { return [] }
        return items.compactMap { item in
            guard let text = parser.reader.string(item, what: "a consent scope") else { return nil }
            guard let scope = ConsentScope(rawValue: text) else {
                let known = ConsentScope.allCases.map(\.rawValue)
                parser.error(item, "FK082", "unknown consent scope '\(text)'\(YAMLReader.didYouMean(text, in: known)); the scopes are \(known.joined(separator: ", "))")
                return nil
            }
            return scope
        }
    }

    mutating func timer(_ node: Node, _ states: Set<String>) -> WorkflowDefinition.Timer? {
        guard let keys = parser.reader.mapping(node, what: "a timer", allowed: Self.timerKeys, required: ["id", "on", "after", "task"]),
              let id = parser.code(keys["id"], what: "timer id") else { return nil }
        let on = keys["on"].flatMap { event($0, states) }
        let after = keys["after"].flatMap { span($0) }
        let urgentAfter = keys["urgent_after"].flatMap { span($0) }
        var afterByRisk: [String: TimeSpan] = [:]
        if let node = keys["after_by_risk"], let levels = parser.reader.mapping(node, what: "after_by_risk", allowed: WorkflowDefinition.riskLevels) {
            for (level, value) in levels { if let s = span(value) { afterByRisk[level] = s } }
        }
        let cancelOn = keys["cancel_on"].flatMap { parser.reader.sequence($0, what: "cancel_on") }?.compactMap { event($0, states) } ?? []
        var task: WorkflowDefinition.TaskTemplate?
        if let t = keys["task"].flatMap({ parser.reader.mapping($0, what: "a task", allowed: Self.taskKeys, required: ["title", "assignee"]) }),
           let title = parser.translations(t["title"], what: "the task title of timer '\(id)'"),
           let assigneeText = parser.reader.string(t["assignee"]!, what: "assignee") {
            if let assignee = WorkflowDefinition.Assignee(rawValue: assigneeText) {
                task = .init(title: title, assignee: assignee)
            } else {
                parser.error(t["assignee"], "FK084", "unknown assignee '\(assigneeText)'; expected \(WorkflowDefinition.Assignee.allCases.map(\.rawValue).joined(separator: " or "))")
            }
        }
        guard let on, let after, let task else { return nil }
        return .init(id: id, on: on, after: after, urgentAfter: urgentAfter, afterByRisk: afterByRisk, cancelOn: cancelOn, task: task)
    }

    mutating func event(_ node: Node, _ states: Set<String>) -> WorkflowEvent? {
        guard let text = parser.reader.string(node, what: "an event") else { return nil }
        guard let event = WorkflowEvent(text) else {
            parser.error(node, "FK085", "unknown event '\(text)'; expected entered.<state>, left.<state>, \(WorkflowEvent.fixed.keys.sorted().joined(separator: ", "))")
            return nil
        }
        if let state = event.state { knownState(state, node, states) }
        return event
    }

    mutating func span(_ node: Node) -> TimeSpan? {
        guard let text = parser.reader.string(node, what: "a time span") else { return nil }
        guard let span = TimeSpan(text) else {
            parser.error(node, "FK086", "'\(text)' is not a time span: expected a count and a unit, like 3d, 12h or 2w")
            return nil
        }
        return span
    }

    /// A state no transition leads to is a warning: cases can never be in it.
    mutating func unreachableStates(from initial: String, _ states: [WorkflowDefinition.State], _ transitions: [WorkflowDefinition.Transition], _ node: Node) {
        var reached: Set<String> = [initial], frontier = [initial]
        while let state = frontier.popLast() {
            for t in transitions where t.from.contains(state) && reached.insert(t.to).inserted { frontier.append(t.to) }
        }
        for state in states where !reached.contains(state.id) {
            parser.warning(node, "FK087", "state '\(state.id)' cannot be reached from '\(initial)'")
        }
    }
}
