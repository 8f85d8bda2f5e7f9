import Foundation

extension SubmissionValidator.Run {
    /// Every rule of every visible field: required, bounds, lengths, pattern,
    /// options, rows, and `valid_if` — collecting all problems, not the first.
    mutating func check(_ level: LevelValues, fields: [FieldDefinition], outer: [String: Value], path: String) {
        let context = EvaluationContext(values: Self.scope(outer, level.values), today: today, horizon: horizon)
        // Each field is checked where it is: a field definition is large, and copying one per field showed in profiles.
        for index in fields.indices where level.isShown(index) && fields[index].type.takesInput {
            check(fields[index], in: level, context: context, path: path)
        }
    }

    /// One shown field's rules.
    mutating func check(_ field: FieldDefinition, in level: LevelValues, context: EvaluationContext, path: String) {
        // Made only for a problem: most fields have none, and making every field's path showed in profiles.
        func fieldPath() -> String { path + "/" + field.id }
        let value = level.values[field.id]
        let required = field.required || (field.requiredIf?.evaluate(in: context).isTrue ?? false)
        guard let value, !value.isEmpty else {
            if required {
                problem(fieldPath(), "required")
            } else if field.type == .repeat, let min = field.minRows, min > 0 {
                // A shown repeat with a minimum needs its rows even when not marked required.
                problem(fieldPath(), "too-few-rows", ["limit": "\(min)"])
            }
            return
        }
        if field.type == .tick, required, value == .boolean(false) { problem(fieldPath(), "must-be-ticked") }
        checkValue(field, value, fieldPath)
        if field.type == .repeat, let rows = level.rows[field.id] {
            if let min = field.minRows, rows.count < min { problem(fieldPath(), "too-few-rows", ["limit": "\(min)"]) }
            let max = field.maxRows ?? FieldDefinition.defaultMaxRows
            if rows.count > max { problem(fieldPath(), "too-many-rows", ["limit": "\(max)"]) }
            for (index, row) in rows.enumerated() {
                check(row, fields: field.fields, outer: context.values, path: "\(fieldPath())/\(index)")
            }
        }
        if let validIf = field.validIf, !validIf.evaluate(in: context).isTrue {
            problem(fieldPath(), "invalid", custom: field.message)
        }
    }

    /// `path`: the field's, made only for a problem.
    mutating func checkValue(_ field: FieldDefinition, _ value: Value, _ path: () -> String) {
        switch value {
        case .number(let n):
            if let min = field.min, n < min { problem(path(), "too-small", ["limit": Value.number(min).description]) }
            if let max = field.max, n > max { problem(path(), "too-large", ["limit": Value.number(max).description]) }
        case .date(let day):
            if let min = field.minDay?.resolve(today: today), day < min { problem(path(), "too-early", ["limit": min.description]) }
            if let max = field.maxDay?.resolve(today: today), day > max { problem(path(), "too-late", ["limit": max.description]) }
            if field.notFuture, day > today { problem(path(), "in-the-future") }
            if let horizon {
                // A day at or after "today" is too early from the day after it; one after "today" stops being in the future on that day.
                if field.minDay == .today, day >= today { horizon.changes(on: Day(number: day.number + 1)) }
                if field.maxDay == .today || field.notFuture, day > today { horizon.changes(on: day) }
            }
        case .text(let text):
            // A text no longer in bytes than its limit is no longer in characters: they are counted
            // (the whole text walked) only when that could matter.
            if field.minLength != nil || field.effectiveMaxLength.map({ text.utf8.count > $0 }) == true {
                let length = text.count
                if let min = field.minLength, length < min { problem(path(), "too-short", ["limit": "\(min)"]) }
                if let max = field.effectiveMaxLength, length > max { problem(path(), "too-long", ["limit": "\(max)"]) }
            }
            if let pattern = field.pattern, let regex = FieldPatterns.compiled(pattern), (try? regex.wholeMatch(in: text)) == nil {
                problem(path(), "pattern", custom: field.message)
            }
            if field.type == .select || field.type == .location { checkOption(field, text, path) }
        case .list(let items):
            let codes = items.map(\.description)
            if Set(codes).count != codes.count { problem(path(), "duplicate-item") }
            if let min = field.minItems, codes.count < min { problem(path(), "too-few-items", ["limit": "\(min)"]) }
            if let max = field.maxItems, codes.count > max { problem(path(), "too-many-items", ["limit": "\(max)"]) }
            for (index, code) in codes.enumerated() { checkOption(field, code) { "\(path())/\(index)" } }
        default:
            break
        }
    }

    mutating func checkOption(_ field: FieldDefinition, _ code: String, _ path: () -> String) {
        guard let lookupID = field.lookup, let lookup = validator.lookups[lookupID] else { return }
        guard let option = lookup.option(code) else {
            // The value is not echoed: a client may have put a name where a code belongs.
            problem(path(), "not-an-option")
            return
        }
        if let level = field.level, option.level != level { problem(path(), "wrong-level", ["limit": level]) }
    }
}
