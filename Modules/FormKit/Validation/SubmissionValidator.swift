import AmanaCore
import Foundation

/// Validates a submission of one form, server side, for every front end.
///
/// Returns every problem at once, each with the JSON pointer of the field.
/// Values of hidden fields (their `show_if` is false) and of calculated fields
/// are dropped, never stored as sent; calculated fields are computed here.
public struct SubmissionValidator: Sendable {
    public let form: FormDefinition
    let lookups: [String: LookupDefinition]
    let messages: ValidationMessages

    public init(form: FormDefinition, lookups: [String: LookupDefinition], messages: ValidationMessages) {
        self.form = form
        self.lookups = lookups
        self.messages = messages
    }

    /// `visiblePaths`: also list the paths of the fields shown (``ValidationResult/visible``),
    /// which only a form drawn as it is typed needs; a save, a read or a report does not ask.
    /// `steadiness`: also find until when the outcome holds (``ValidationResult/steadyUntil``),
    /// which only what keeps the outcome for later (a case's report digest) needs.
    public func validate(
        _ submission: [String: SubmittedValue], today: Day, language: String = "en", visiblePaths: Bool = false, steadiness: Bool = false
    ) -> ValidationResult {
        var run = Run(validator: self, today: today, language: language, horizon: steadiness ? DayHorizon() : nil)
        var level = run.convert(submission, fields: form.topLevelFields, positions: form.topLevelPositions, path: "")
        run.settleVisibility(&level, sections: form.sections, fields: form.topLevelFields, outer: [:], path: "")
        run.calculate(&level, fields: form.topLevelFields, outer: [:])
        run.check(level, fields: form.topLevelFields, outer: [:], path: "")
        run.result.accepted = level.stored
        run.result.values = level.values
        if visiblePaths { run.result.visible = Self.visiblePaths(level, fields: form.topLevelFields, path: "") }
        run.result.steadyUntil = run.horizon?.until
        return run.result
    }

    /// The paths of the fields shown for these answers, repeat rows included.
    static func visiblePaths(_ level: LevelValues, fields: [FieldDefinition], path: String) -> Set<String> {
        var paths: Set<String> = []
        for index in fields.indices where level.isShown(index) {
            let field = fields[index]
            let fieldPath = path + "/" + field.id
            paths.insert(fieldPath)
            for (index, row) in (level.rows[field.id] ?? []).enumerated() {
                paths.formUnion(visiblePaths(row, fields: field.fields, path: "\(fieldPath)/\(index)"))
            }
        }
        return paths
    }
}

/// The values of one level (the form, or one repeat row) as they are worked on.
struct LevelValues {
    /// For expressions.
    var values: [String: Value] = [:]
    /// For storage (normalised JSON).
    var stored: [String: SubmittedValue] = [:]
    /// Converted repeat rows, for recursion.
    var rows: [String: [LevelValues]] = [:]
    /// Whether each of the level's fields is shown, by its position among them; empty until
    /// visibility is settled. By position, not a set of ids: the set hashed every field's id
    /// two or three times a validation.
    var shown: [Bool] = []
    /// The fields given their default value because the client sent none (usually none).
    var defaulted: Set<String> = []

    /// Whether the field at `position` among the level's fields is shown.
    func isShown(_ position: Int) -> Bool { shown.isEmpty || shown[position] }
}

extension SubmissionValidator {
    struct Run {
        let validator: SubmissionValidator
        let today: Day
        let language: String
        let horizon: DayHorizon?
        var result = ValidationResult()

        init(validator: SubmissionValidator, today: Day, language: String, horizon: DayHorizon? = nil) {
            self.validator = validator
            self.today = today
            self.language = language
            self.horizon = horizon
        }

        mutating func problem(_ path: String, _ code: String, _ parameters: [String: String] = [:], custom: Translations? = nil) {
            let message = custom?.text(language) ?? validator.messages.text(code, language, parameters)
            result.problems.append(ValidationProblem(path: path, code: code, message: message))
        }

        // MARK: 1. Types

        /// `positions`: each field's index in `fields` by id (the form keeps its top level's; a repeat's rows make their own).
        mutating func convert(_ submission: [String: SubmittedValue], fields: [FieldDefinition], positions: [String: Int]? = nil, path: String) -> LevelValues {
            var level = LevelValues()
            // Sized once: growing them rehashed every answer again, a good part of a validation.
            level.values.reserveCapacity(fields.count)
            level.stored.reserveCapacity(fields.count)
            let positions = positions ?? Dictionary(fields.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
            // The answers in the dictionary's order; what they are found to have is put in the order of
            // their names afterwards, only when there is some (sorting every submission's names by
            // comparing strings was a tenth of a validation).
            var found: [Findings] = []
            for (key, value) in submission {
                let before = Findings(key: key, problems: result.problems.count, dropped: result.dropped.count)
                convert(key, value, fields: fields, positions: positions, path: path, into: &level)
                if result.problems.count > before.problems || result.dropped.count > before.dropped { found.append(before) }
            }
            if !found.isEmpty { putInOrder(found) }
            // Defaults apply to fields not sent at all.
            for index in fields.indices where fields[index].defaultValue != nil && submission[fields[index].id] == nil {
                let d = fields[index].defaultValue!
                level.values[fields[index].id] = d
                level.stored[fields[index].id] = Self.stored(d)
                level.defaulted.insert(fields[index].id)
            }
            return level
        }

        /// One answer of a level, converted into `level`.
        mutating func convert(_ key: String, _ value: SubmittedValue, fields: [FieldDefinition], positions: [String: Int], path: String, into level: inout LevelValues) {
            guard let position = positions[key] else { return problem(path + "/" + key, "unknown-field") }
            // Read in place: a field definition is large, and copying one per answer was a tenth of a validation.
            guard fields[position].type.takesInput else { return result.dropped.append(path + "/" + key) }
            if value == .null { return }
            if fields[position].type == .repeat {
                let fieldPath = path + "/" + key
                guard case .array(let items) = value else {
                    return problem(fieldPath, "wrong-type", ["expected": "a list of rows", "actual": value.kind])
                }
                var rows: [LevelValues] = []
                for (index, item) in items.enumerated() {
                    guard case .object(let object) = item else {
                        problem("\(fieldPath)/\(index)", "wrong-type", ["expected": "a row (an object)", "actual": item.kind])
                        continue
                    }
                    rows.append(convert(object, fields: fields[position].fields, path: "\(fieldPath)/\(index)"))
                }
                level.rows[key] = rows
                level.values[key] = .rows(rows.map(\.values))
                return
            }
            if let (v, s) = scalar(fields[position], value, { path + "/" + key }) {
                level.values[key] = v
                level.stored[key] = s
            }
        }

        /// Where one answer's problems and dropped paths start in ``result``: each answer's are together, as it was converted whole.
        struct Findings {
            var key: String
            var problems: Int
            var dropped: Int
        }

        /// Puts the problems and dropped paths of the answers in `found` (each answer's where it starts,
        /// in the order converted, the last running to the end) in the order of the answers' names.
        mutating func putInOrder(_ found: [Findings]) {
            // Each answer's run ends where the next one's starts.
            let ends = found.dropFirst().map { (problems: $0.problems, dropped: $0.dropped) } + [(problems: result.problems.count, dropped: result.dropped.count)]
            let runs = zip(found, ends).map { start, end in
                (key: start.key, problems: start.problems..<end.problems, dropped: start.dropped..<end.dropped)
            }.sorted { $0.key < $1.key }
            let (problems, dropped) = (result.problems, result.dropped)
            result.problems.replaceSubrange(found[0].problems..., with: runs.flatMap { problems[$0.problems] })
            result.dropped.replaceSubrange(found[0].dropped..., with: runs.flatMap { dropped[$0.dropped] })
        }

        /// `path`: the answer's, made only for a problem.
        mutating func scalar(_ field: FieldDefinition, _ value: SubmittedValue, _ path: () -> String) -> (Value, SubmittedValue)? {
            func wrong(_ expected: String) -> (Value, SubmittedValue)? {
                problem(path(), "wrong-type", ["expected": expected, "actual": value.kind])
                return nil
            }
            switch field.type {
            case .text, .textarea, .signature, .attachment, .select, .location:
                guard case .string(let s) = value else { return wrong("text") }
                if s.isBlank { return nil }
                return (.text(s), .string(s))
            case .number:
                guard case .number(let n) = value, n.isFinite else { return wrong("a number") }
                return (.number(n), .number(n))
            case .integer:
                guard case .number(let n) = value, n.isFinite else { return wrong("a whole number") }
                guard n == n.rounded(), abs(n) < 1e15 else {
                    problem(path(), "not-a-whole-number")
                    return nil
                }
                return (.number(n), .number(n))
            case .date:
                guard case .string(let s) = value else { return wrong("a date") }
                guard s.utf8.count == 10, let day = Day(iso: s) else {
                    problem(path(), "not-a-date")
                    return nil
                }
                // Ten characters that `Day(iso:)` takes are already the day's own `YYYY-MM-DD`:
                // kept as sent, not written again (that was a fourteenth of a validation).
                return (.date(day), value)
            case .datetime:
                guard case .string(let s) = value else { return wrong("a date and time") }
                guard let instant = Self.parseDateTime(s) else {
                    problem(path(), "not-a-datetime")
                    return nil
                }
                return (.date(Day(instant)), .string(ISO8601DateFormatter().string(from: instant)))
            case .multiSelect:
                guard case .array(let items) = value else { return wrong("a list of options") }
                var codes: [String] = []
                for item in items {
                    guard case .string(let code) = item else { return wrong("a list of options") }
                    codes.append(code)
                }
                if codes.isEmpty { return nil }
                return (.list(codes.map(Value.text)), .array(codes.map(SubmittedValue.string)))
            case .yesNo, .tick:
                guard case .bool(let b) = value else { return wrong("yes/no (true or false)") }
                return (.boolean(b), .bool(b))
            case .repeat, .calculated, .note:
                return nil
            }
        }

        static func parseDateTime(_ text: String) -> Date? { InternetDateTime.parse(text) }

        static func stored(_ value: Value) -> SubmittedValue {
            switch value {
            case .null: .null
            case .number(let n): .number(n)
            case .text(let t): .string(t)
            case .boolean(let b): .bool(b)
            case .date(let d): .string(d.description)
            case .list(let items): .array(items.map(stored))
            case .rows(let rows): .array(rows.map { .object($0.mapValues(stored)) })
            }
        }

        // MARK: 2. Visibility

        /// Drops the values of hidden fields until nothing changes (a hidden field's
        /// value may itself have made another field visible).
        /// `fields`: the sections' fields in order (the form keeps its top level's).
        mutating func settleVisibility(_ level: inout LevelValues, sections: [SectionDefinition], fields: [FieldDefinition], outer: [String: Value], path: String) {
            for _ in 0...fields.count {
                let context = EvaluationContext(values: Self.scope(outer, level.values), today: today, horizon: horizon)
                var shown = [Bool](repeating: false, count: fields.count)
                var position = 0
                for s in sections.indices {
                    let sectionShown = sections[s].showIf?.evaluate(in: context).isTrue ?? true
                    for f in sections[s].fields.indices {
                        if sectionShown { shown[position] = sections[s].fields[f].showIf?.evaluate(in: context).isTrue ?? true }
                        position += 1
                    }
                }
                assert(position == fields.count, "a level's fields are its sections' fields in order")
                let hiddenWithValues = fields.indices.filter { !shown[$0] && level.values[fields[$0].id] != nil && fields[$0].type != .calculated }
                level.shown = shown
                if hiddenWithValues.isEmpty { break }
                for index in hiddenWithValues {
                    let id = fields[index].id
                    if !level.defaulted.contains(id) { result.dropped.append(path + "/" + id) }
                    level.values[id] = nil
                    level.stored[id] = nil
                    level.rows[id] = nil
                }
            }
            // Inside each visible repeat, rows settle on their own (row fields first, then the form's).
            for index in fields.indices where fields[index].type == .repeat && level.isShown(index) {
                let field = fields[index]
                guard var rows = level.rows[field.id] else { continue }
                let context = Self.scope(outer, level.values)
                for index in rows.indices {
                    settleVisibility(
                        &rows[index], sections: [SectionDefinition(id: field.id, title: Translations([:]), fields: field.fields)], fields: field.fields, outer: context,
                        path: "\(path)/\(field.id)/\(index)")
                }
                level.rows[field.id] = rows
                level.values[field.id] = .rows(rows.map(\.values))
                level.stored[field.id] = .array(rows.map { .object($0.stored) })
            }
        }

        /// What an expression sees: a level's own answers over the enclosing ones'
        /// (at the form's top level there are none, and nothing is copied).
        static func scope(_ outer: [String: Value], _ own: [String: Value]) -> [String: Value] {
            outer.isEmpty ? own : outer.merging(own) { _, inner in inner }
        }

        // MARK: 3. Calculated fields

        mutating func calculate(_ level: inout LevelValues, fields: [FieldDefinition], outer: [String: Value]) {
            let calculated = fields.indices.filter { fields[$0].type == .calculated && fields[$0].expr != nil && level.isShown($0) }
            // As many passes as there are calculated fields: enough for any chain
            // (cycles were refused when the form loaded).
            for _ in 0..<max(1, calculated.count) {
                for index in calculated {
                    let context = EvaluationContext(values: Self.scope(outer, level.values), today: today, horizon: horizon)
                    let value = fields[index].expr!.evaluate(in: context)
                    level.values[fields[index].id] = value
                    level.stored[fields[index].id] = value == .null ? nil : Self.stored(value)
                }
            }
            for index in fields.indices where fields[index].type == .repeat {
                let field = fields[index]
                guard var rows = level.rows[field.id] else { continue }
                for index in rows.indices {
                    calculate(&rows[index], fields: field.fields, outer: Self.scope(outer, level.values))
                }
                level.rows[field.id] = rows
                level.values[field.id] = .rows(rows.map(\.values))
                level.stored[field.id] = .array(rows.map { .object($0.stored) })
            }
        }
    }
}
