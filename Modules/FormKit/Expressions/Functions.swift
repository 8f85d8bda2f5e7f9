/// The functions expressions may call. Each is total: a missing or wrong
/// argument gives `null`, never a crash.
enum Functions {
    struct Signature: Sendable {
        /// For each parameter, the types it accepts.
        var parameters: [[ValueType]]
        var result: ValueType
        var apply: @Sendable ([Value], EvaluationContext) -> Value
    }

    static let all: [String: Signature] = [
        // Whole years from a date of birth to today.
        "age": Signature(parameters: [[.date]], result: .number) { args, context in
            guard case .date(let dob) = args[0] else { return .null }
            guard dob <= context.today else {
                context.horizon?.changes(on: dob)
                return .null
            }
            context.horizon?.changes(on: dob.nextBirthday(after: context.today))
            return .number(Double(dob.years(until: context.today)))
        },
        "today": Signature(parameters: [], result: .date) { _, context in
            context.horizon?.changesTomorrow(context.today)
            return .date(context.today)
        },
        "days_since": Signature(parameters: [[.date]], result: .number) { args, context in
            guard case .date(let day) = args[0] else { return .null }
            context.horizon?.changesTomorrow(context.today)
            return .number(Double(context.today.number - day.number))
        },
        "days_between": Signature(parameters: [[.date], [.date]], result: .number) { args, _ in
            guard case .date(let a) = args[0], case .date(let b) = args[1] else { return .null }
            return .number(Double(b.number - a.number))
        },
        // Rows of a repeat, items of a multi-select or list.
        "count": Signature(parameters: [[.rows, .list(.any)]], result: .number) { args, _ in
            switch args[0] {
            case .rows(let rows): .number(Double(rows.count))
            case .list(let items): .number(Double(items.count))
            case .null: .number(0)
            default: .null
            }
        },
        "length": Signature(parameters: [[.text]], result: .number) { args, _ in
            guard case .text(let t) = args[0] else { return .null }
            return .number(Double(t.count))
        },
        // Whether a field is unanswered (null, blank text, empty list, no rows).
        "empty": Signature(parameters: [[.any]], result: .boolean) { args, _ in .boolean(args[0].isEmpty) },
        "date": Signature(parameters: [[.text]], result: .date) { args, _ in
            guard case .text(let t) = args[0], let day = Day(iso: t) else { return .null }
            return .date(day)
        },
        "min": Signature(parameters: [[.number], [.number]], result: .number) { args, _ in
            guard case .number(let a) = args[0], case .number(let b) = args[1] else { return .null }
            return .number(Swift.min(a, b))
        },
        "max": Signature(parameters: [[.number], [.number]], result: .number) { args, _ in
            guard case .number(let a) = args[0], case .number(let b) = args[1] else { return .null }
            return .number(Swift.max(a, b))
        },
        "round": Signature(parameters: [[.number]], result: .number) { args, _ in
            guard case .number(let a) = args[0] else { return .null }
            return .number(a.rounded())
        },
    ]
}
