/// How a field's value is protected and used.
public enum Sensitivity: String, Sendable, CaseIterable {
    /// Encrypted, plus a blind index for exact search (names, phone numbers).
    case identifying
    /// Encrypted (narratives, most case content).
    case sensitive
    /// Stored plain, queryable (workflow flags).
    case `internal`
    /// Stored plain and used in anonymous statistics (age band, incident type).
    case aggregate
}

/// The kinds of field a form can hold.
public enum FieldType: String, Sendable, CaseIterable {
    case text, textarea, number, integer, date, datetime, select
    case multiSelect = "multi_select"
    case yesNo = "yes_no"
    case tick, `repeat`, calculated, location, signature, attachment, note

    /// Whether a client may send a value for it.
    public var takesInput: Bool { self != .calculated && self != .note }
}

/// Where in which file something was defined, for diagnostics.
public struct SourcePosition: Sendable, Equatable {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }
}

/// A date bound: a fixed day or "today" (evaluated at validation time).
public enum DayBound: Sendable, Equatable {
    case day(Day)
    case today

    func resolve(today: Day) -> Day {
        switch self {
        case .day(let d): d
        case .today: today
        }
    }
}

/// One field of a form, as defined (after overlays).
public struct FieldDefinition: Sendable, Equatable {
    public var id: String
    public var type: FieldType
    public var label: Translations?
    public var hint: Translations?
    public var required = false
    public var requiredIf: Expression?
    public var showIf: Expression?
    public var validIf: Expression?
    public var message: Translations?
    public var min: Double?
    public var max: Double?
    public var minDay: DayBound?
    public var maxDay: DayBound?
    public var notFuture = false
    public var minLength: Int?
    public var maxLength: Int?
    public var pattern: String?
    public var minItems: Int?
    public var maxItems: Int?
    public var sensitivity: Sensitivity
    public var defaultValue: Value?
    public var lookup: String?
    public var level: String?
    public var expr: Expression?
    public var fields: [FieldDefinition] = []
    /// A repeat whose rows are things to do (a plan's actions): each open row is a task.
    public var tasks: RowTasks?
    public var minRows: Int?
    public var maxRows: Int?
    public var accept: [String] = []
    public var maxBytes: Int?
    /// The kernel or a workflow relies on this field: overlays may not hide or loosen it.
    public var protected = false
    public var position: SourcePosition

    public init(id: String, type: FieldType, sensitivity: Sensitivity, position: SourcePosition) {
        self.id = id
        self.type = type
        self.sensitivity = sensitivity
        self.position = position
    }

    /// The expression type of this field's value.
    public var valueType: ValueType {
        switch type {
        case .number, .integer: .number
        case .date, .datetime: .date
        case .yesNo, .tick: .boolean
        case .multiSelect: .list(.text)
        case .repeat: .rows
        case .calculated: .any
        case .text, .textarea, .select, .location, .signature, .attachment, .note: .text
        }
    }

    /// Longest text accepted when the definition does not say.
    public var effectiveMaxLength: Int? {
        switch type {
        case .text, .signature, .attachment, .select, .location: maxLength ?? 500
        case .textarea: maxLength ?? 10_000
        default: nil
        }
    }

    public static let defaultMaxRows = 100
}

/// How a repeat's rows become tasks (`tasks:` on a repeat): every row not done,
/// with a due date, is a task for the case owner, titled by one of its fields.
public struct RowTasks: Sendable, Equatable {
    /// A text field of the row: the task's title.
    public var title: String
    /// A date field of the row: when the task is due.
    public var due: String
    /// When true for a row, it is no longer a task (done, cancelled).
    public var doneIf: Expression?
    /// What the task's title starts with, saying where it comes from ("Plan: Accompany her").
    public var label = "Plan"

    public init(title: String, due: String, doneIf: Expression? = nil) {
        self.title = title
        self.due = due
        self.doneIf = doneIf
    }
}
