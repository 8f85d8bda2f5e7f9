import AmanaCore
import Yams
import YAMLSupport

/// Reads one consent policy file. Shares the workflow parser's handling of
/// scopes, roles, forms and conditions.
struct ConsentPolicyParser {
    var base: WorkflowParser
    var parser: DefinitionParser {
        get { base.parser }
        _modify { yield &base.parser }
    }

    init(file: String, plugin: String, languages: [String]) {
        base = WorkflowParser(file: file, plugin: plugin, languages: languages)
    }

    static let keys = ["id", "title", "age_from", "scopes", "bands", "exceptions", "agreements_from", "overrides"]
    static let overrideKeys = ["id", "label", "ages", "acts", "approval"]
    static let agreementKeys = ["form", "agrees", "given_by", "kind", "scopes", "recipient", "shares"]
    static let sharesKeys = ["field", "answers"]
    static let ageKeys = ["form", "date_of_birth", "estimated_age"]
    static let bandKeys = ["ages", "child", "caregiver"]
    static let exceptionKeys = ["id", "label", "when", "caregiver", "substitute", "requires"]
    static let whenKeys = ["form", "expr"]
    static let exceptionRequirementKeys = ["case_conference", "approval"]

    mutating func parse(_ root: Node) -> ParsedCaseDefinition<ConsentPolicyDefinition>? {
        guard let keys = parser.reader.mapping(root, what: "a consent policy", allowed: Self.keys, required: ["id", "title", "age_from", "scopes", "bands"]), keys.has(["id", "title", "age_from", "scopes", "bands"]) else { return nil }
        let id = parser.definitionID(keys["id"], what: "consent policy", namespace: base.plugin)
        let title = parser.translations(keys["title"], what: "the policy title")
        let ageFrom = keys["age_from"].flatMap { ageSource($0) }
        let scopes = keys["scopes"].map { base.scopes($0) } ?? []
        var bands: [ConsentPolicyDefinition.AgeBand] = []
        if let list = keys["bands"].flatMap({ parser.reader.sequence($0, what: "bands") }) {
            bands = list.compactMap { band($0) }
            checkCoverage(bands, keys["bands"]!)
        }
        var exceptions: [ConsentPolicyDefinition.Exception] = []
        if let list = keys["exceptions"].flatMap({ parser.reader.sequence($0, what: "exceptions") }) {
            exceptions = list.compactMap { exception($0) }
            base.uniqueIDs(exceptions.map(\.id), keys["exceptions"], what: "exception")
        }
        let sources = keys["agreements_from"].flatMap { parser.reader.sequence($0, what: "agreements_from") }?.compactMap { agreementSource($0) } ?? []
        var overrides: [ConsentPolicyDefinition.Override] = []
        if let list = keys["overrides"].flatMap({ parser.reader.sequence($0, what: "overrides") }) {
            overrides = list.compactMap { override($0) }
            base.uniqueIDs(overrides.map(\.id), keys["overrides"], what: "override")
        }
        guard let id, let title, let ageFrom else { return nil }
        var policy = ConsentPolicyDefinition(id: id, title: title, ageFrom: ageFrom, scopes: scopes, bands: bands, exceptions: exceptions, plugin: base.plugin, position: parser.position(root))
        policy.agreementSources = sources
        policy.overrides = overrides
        return ParsedCaseDefinition(definition: policy, references: base.references, conditions: base.conditions, fields: readFields)
    }

    /// Fields the policy reads (the age's, the agreements'); the cross-plugin checks confirm them and their types.
    var readFields: [FieldExpectation] = []

    mutating func ageSource(_ node: Node) -> ConsentPolicyDefinition.AgeSource? {
        guard let keys = parser.reader.mapping(node, what: "age_from", allowed: Self.ageKeys, required: ["form", "date_of_birth"]), keys.has(["form", "date_of_birth"]),
              let form = parser.reader.string(keys["form"]!, what: "form"),
              let dob = parser.reader.string(keys["date_of_birth"]!, what: "date_of_birth") else { return nil }
        base.references.append(.init(kind: .form, id: form, node: keys["form"]!, file: parser.file))
        readFields.append(.init(form: form, field: dob, type: .date, node: keys["date_of_birth"]!, file: parser.file))
        let estimated = keys["estimated_age"].flatMap { parser.reader.string($0, what: "estimated_age") }
        if let estimated { readFields.append(.init(form: form, field: estimated, type: .number, node: keys["estimated_age"]!, file: parser.file)) }
        return .init(form: form, dateOfBirth: dob, estimatedAge: estimated)
    }

    /// A form whose entries are agreements; the cross-plugin checks confirm its fields and their types.
    mutating func agreementSource(_ node: Node) -> ConsentPolicyDefinition.AgreementSource? {
        guard let keys = parser.reader.mapping(node, what: "an agreement source", allowed: Self.agreementKeys, required: ["form", "agrees", "given_by", "scopes"]), keys.has(["form", "agrees", "given_by", "scopes"]),
              let form = parser.reader.string(keys["form"]!, what: "form"), let agrees = parser.reader.string(keys["agrees"]!, what: "agrees"),
              let giver = parser.reader.string(keys["given_by"]!, what: "given_by")
        else { return nil }
        readFields.append(.init(form: form, field: giver, type: .text, node: keys["given_by"]!, file: parser.file))
        let kind = keys["kind"].map { choice($0, ConsentPolicyDefinition.AgreementKind.self, what: "kind") } ?? .consent
        base.references.append(.init(kind: .form, id: form, node: keys["form"]!, file: parser.file))
        readFields.append(.init(form: form, field: agrees, type: .boolean, node: keys["agrees"]!, file: parser.file))
        let recipient = keys["recipient"].flatMap { parser.reader.string($0, what: "recipient") }
        if let recipient { readFields.append(.init(form: form, field: recipient, type: .text, node: keys["recipient"]!, file: parser.file)) }
        guard let kind else { return nil }
        return .init(
            form: form, agrees: agrees, givenBy: giver, kind: kind, scopes: base.scopes(keys["scopes"]!), recipient: recipient,
            shares: keys["shares"].flatMap { shares($0, form: form) })
    }

    /// `shares`: a multi-select field of the form, and for each of its options the answers (`<form>/<field>`) it lets go.
    mutating func shares(_ node: Node, form: String) -> ConsentPolicyDefinition.Shares? {
        guard let keys = parser.reader.mapping(node, what: "shares", allowed: Self.sharesKeys, required: ["field", "answers"]), keys.has(["field", "answers"]),
              let field = parser.reader.string(keys["field"]!, what: "shares field"), case .mapping(let pairs)? = keys["answers"] else {
            if let answers = node.mapping?["answers"], answers.mapping == nil { parser.error(answers, "FK098", "answers maps each option to the answers it lets go ([form/field, ...])") }
            return nil
        }
        readFields.append(.init(form: form, field: field, type: .list(.text), node: keys["field"]!, file: parser.file))
        var answers: [String: [String]] = [:]
        for (option, list) in pairs {
            guard let code = option.string, let paths = parser.reader.strings(list, what: "the answers of '\(option.string ?? "")'") else { continue }
            for path in paths {
                guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else {
                    parser.error(list, "FK098", "'\(path)' is not an answer: write <form>/<field>, like core/registration/given_name")
                    continue
                }
                let formID = String(path[..<slash])
                base.references.append(.init(kind: .form, id: formID, node: list, file: parser.file))
                readFields.append(.init(form: formID, field: String(path[path.index(after: slash)...]), type: nil, node: list, file: parser.file, protects: false))
            }
            answers[code] = paths
        }
        return .init(field: field, answers: answers)
    }

    /// An override: whom it may be used for (an age range), for which acts, decided by which role.
    mutating func override(_ node: Node) -> ConsentPolicyDefinition.Override? {
        guard let keys = parser.reader.mapping(node, what: "an override", allowed: Self.overrideKeys, required: ["id", "label", "ages", "acts", "approval"]), keys.has(["id", "label", "ages", "acts", "approval"]),
              let id = parser.code(keys["id"], what: "override id"), let (from, to) = ages(keys["ages"]!),
              let role = parser.reader.string(keys["approval"]!, what: "approval") else { return nil }
        let label = parser.translations(keys["label"], what: "the label of override '\(id)'")
        base.references.append(.init(kind: .role, id: role, node: keys["approval"]!, file: parser.file))
        let acts = base.scopes(keys["acts"]!)
        guard let label else { return nil }
        return .init(id: id, label: label, from: from, to: to, acts: acts, approval: role)
    }

    /// `from-to` in whole years (`6-11`), or `18-` for 18 and older.
    mutating func ages(_ node: Node) -> (Int, Int?)? {
        guard let ages = parser.reader.string(node, what: "ages") else { return nil }
        let parts = ages.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let from = Int(parts[0]), from >= 0, parts[1].isEmpty || Int(parts[1]).map({ $0 >= from }) == true else {
            parser.error(node, "FK090", "'\(ages)' is not an age band: expected 'from-to' in whole years, like '6-11', or '18-' for 18 and older")
            return nil
        }
        return (from, Int(parts[1]))
    }

    mutating func band(_ node: Node) -> ConsentPolicyDefinition.AgeBand? {
        guard let keys = parser.reader.mapping(node, what: "an age band", allowed: Self.bandKeys, required: ["ages", "child"]), keys.has(["ages", "child"]),
              let (from, to) = ages(keys["ages"]!) else { return nil }
        let child = keys["child"].flatMap { choice($0, ConsentPolicyDefinition.PersonRequirement.self, what: "child") }
        let caregiver = keys["caregiver"].map { choice($0, ConsentPolicyDefinition.CaregiverRequirement.self, what: "caregiver") } ?? ConsentPolicyDefinition.CaregiverRequirement.none
        guard let child, let caregiver else { return nil }
        return .init(from: from, to: to, child: child, caregiver: caregiver)
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ node: Node, _: T.Type, what: String) -> T? where T.RawValue == String {
        guard let text = parser.reader.string(node, what: what) else { return nil }
        guard let value = T(rawValue: text) else {
            parser.error(node, "FK091", "unknown \(what) requirement '\(text)'; expected \(T.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return value
    }

    /// Every age from 0 up falls in exactly one band, and the last is open-ended.
    mutating func checkCoverage(_ bands: [ConsentPolicyDefinition.AgeBand], _ node: Node) {
        var next = 0
        for band in bands.sorted(by: { $0.from < $1.from }) {
            if band.from > next { parser.error(node, "FK092", "no band covers age \(next)\(band.from - 1 > next ? "-\(band.from - 1)" : "")") }
            if band.from < next { parser.error(node, "FK092", "band \(band.label) overlaps the band before it") }
            guard let to = band.to else { next = Int.max; continue }
            next = max(next, to + 1)
        }
        if next != Int.max, !bands.isEmpty { parser.error(node, "FK092", "no band covers ages \(next) and older: end with an open band like '18-'") }
    }

    mutating func exception(_ node: Node) -> ConsentPolicyDefinition.Exception? {
        guard let keys = parser.reader.mapping(node, what: "an exception", allowed: Self.exceptionKeys, required: ["id", "label", "when", "caregiver"]), keys.has(["id", "label", "when", "caregiver"]),
              let id = parser.code(keys["id"], what: "exception id") else { return nil }
        let label = parser.translations(keys["label"], what: "the label of exception '\(id)'")
        var form: String?, when: Expression?
        if let w = keys["when"].flatMap({ parser.reader.mapping($0, what: "when", allowed: Self.whenKeys, required: ["form", "expr"]) }), w.has(["form", "expr"]),
           let formID = parser.reader.string(w["form"]!, what: "form"),
           let (expression, exprNode) = parser.expression(w["expr"], what: "the condition of exception '\(id)'") {
            base.references.append(.init(kind: .form, id: formID, node: w["form"]!, file: parser.file))
            base.conditions.append(.init(form: formID, expression: expression, node: exprNode, file: parser.file, what: "the condition of exception '\(id)'"))
            form = formID
            when = expression
        }
        let caregiver = keys["caregiver"].flatMap { choice($0, ConsentPolicyDefinition.CaregiverException.self, what: "caregiver") }
        let substitutes = keys["substitute"].flatMap { parser.reader.sequence($0, what: "substitute") }?.compactMap {
            choice($0, ConsentPolicyDefinition.Substitute.self, what: "substitute")
        } ?? []
        var caseConference = false, approval: String?
        if let r = keys["requires"].flatMap({ parser.reader.mapping($0, what: "requires", allowed: Self.exceptionRequirementKeys) }) {
            caseConference = r["case_conference"].flatMap { parser.reader.bool($0, what: "case_conference") } ?? false
            if let a = r["approval"], let role = parser.reader.string(a, what: "approval") {
                base.references.append(.init(kind: .role, id: role, node: a, file: parser.file))
                approval = role
            }
        }
        if caregiver == .exclude, substitutes.isEmpty {
            parser.error(keys["caregiver"], "FK093", "exception '\(id)' excludes the caregiver: name who agrees instead in 'substitute'")
        }
        guard let label, let form, let when, let caregiver else { return nil }
        return .init(id: id, label: label, form: form, when: when, caregiver: caregiver, substitutes: substitutes, requiresCaseConference: caseConference, requiresApproval: approval)
    }
}
