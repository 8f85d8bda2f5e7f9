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
///
/// Its properties live in one copy-on-write box: every check of every answer walks its
/// form's fields by value, and copying a field of thirty properties retained each of
/// them (about 4 % of an import's samples in `perf`). A copy now retains the box once;
/// a change copies the box first if anyone else holds it, so a field is still a value.
/// A new property goes in four places: `Box`, `Box.copy()`, an accessor and `==`.
public struct FieldDefinition: Sendable, Equatable {
    /// The stored properties. Changed only through ``boxForChange``, which copies a shared box
    /// first; a box is never changed while another value holds it, hence `@unchecked Sendable`.
    private final class Box: @unchecked Sendable {
        var id: String
        var type: FieldType
        var label: Translations?
        var hint: Translations?
        var required: Bool = false
        var requiredIf: Expression?
        var showIf: Expression?
        var validIf: Expression?
        var message: Translations?
        var min: Double?
        var max: Double?
        var minDay: DayBound?
        var maxDay: DayBound?
        var notFuture: Bool = false
        var minLength: Int?
        var maxLength: Int?
        var pattern: String?
        var minItems: Int?
        var maxItems: Int?
        var sensitivity: Sensitivity
        var defaultValue: Value?
        var lookup: String?
        var level: String?
        var expr: Expression?
        var fields: [FieldDefinition] = []
        var tasks: RowTasks?
        var minRows: Int?
        var maxRows: Int?
        var accept: [String] = []
        var maxBytes: Int?
        var protected: Bool = false
        var position: SourcePosition

        init(id: String, type: FieldType, sensitivity: Sensitivity, position: SourcePosition) {
            self.id = id
            self.type = type
            self.sensitivity = sensitivity
            self.position = position
        }

        func copy() -> Box {
            let copy = Box(id: id, type: type, sensitivity: sensitivity, position: position)
            copy.label = label
            copy.hint = hint
            copy.required = required
            copy.requiredIf = requiredIf
            copy.showIf = showIf
            copy.validIf = validIf
            copy.message = message
            copy.min = min
            copy.max = max
            copy.minDay = minDay
            copy.maxDay = maxDay
            copy.notFuture = notFuture
            copy.minLength = minLength
            copy.maxLength = maxLength
            copy.pattern = pattern
            copy.minItems = minItems
            copy.maxItems = maxItems
            copy.defaultValue = defaultValue
            copy.lookup = lookup
            copy.level = level
            copy.expr = expr
            copy.fields = fields
            copy.tasks = tasks
            copy.minRows = minRows
            copy.maxRows = maxRows
            copy.accept = accept
            copy.maxBytes = maxBytes
            copy.protected = protected
            return copy
        }
    }

    private var box: Box

    /// The box, first copied if another value holds it too.
    private var boxForChange: Box {
        mutating get {
            if !isKnownUniquelyReferenced(&box) { box = box.copy() }
            return box
        }
    }

    public var id: String {
        get { box.id }
        set { boxForChange.id = newValue }
    }
    public var type: FieldType {
        get { box.type }
        set { boxForChange.type = newValue }
    }
    public var label: Translations? {
        get { box.label }
        set { boxForChange.label = newValue }
    }
    public var hint: Translations? {
        get { box.hint }
        set { boxForChange.hint = newValue }
    }
    public var required: Bool {
        get { box.required }
        set { boxForChange.required = newValue }
    }
    public var requiredIf: Expression? {
        get { box.requiredIf }
        set { boxForChange.requiredIf = newValue }
    }
    public var showIf: Expression? {
        get { box.showIf }
        set { boxForChange.showIf = newValue }
    }
    public var validIf: Expression? {
        get { box.validIf }
        set { boxForChange.validIf = newValue }
    }
    public var message: Translations? {
        get { box.message }
        set { boxForChange.message = newValue }
    }
    public var min: Double? {
        get { box.min }
        set { boxForChange.min = newValue }
    }
    public var max: Double? {
        get { box.max }
        set { boxForChange.max = newValue }
    }
    public var minDay: DayBound? {
        get { box.minDay }
        set { boxForChange.minDay = newValue }
    }
    public var maxDay: DayBound? {
        get { box.maxDay }
        set { boxForChange.maxDay = newValue }
    }
    public var notFuture: Bool {
        get { box.notFuture }
        set { boxForChange.notFuture = newValue }
    }
    public var minLength: Int? {
        get { box.minLength }
        set { boxForChange.minLength = newValue }
    }
    public var maxLength: Int? {
        get { box.maxLength }
        set { boxForChange.maxLength = newValue }
    }
    public var pattern: String? {
        get { box.pattern }
        set { boxForChange.pattern = newValue }
    }
    public var minItems: Int? {
        get { box.minItems }
        set { boxForChange.minItems = newValue }
    }
    public var maxItems: Int? {
        get { box.maxItems }
        set { boxForChange.maxItems = newValue }
    }
    public var sensitivity: Sensitivity {
        get { box.sensitivity }
        set { boxForChange.sensitivity = newValue }
    }
    public var defaultValue: Value? {
        get { box.defaultValue }
        set { boxForChange.defaultValue = newValue }
    }
    public var lookup: String? {
        get { box.lookup }
        set { boxForChange.lookup = newValue }
    }
    public var level: String? {
        get { box.level }
        set { boxForChange.level = newValue }
    }
    public var expr: Expression? {
        get { box.expr }
        set { boxForChange.expr = newValue }
    }
    public var fields: [FieldDefinition] {
        get { box.fields }
        set { boxForChange.fields = newValue }
    }
    /// A repeat whose rows are things to do (a plan's actions): each open row is a task.
    public var tasks: RowTasks? {
        get { box.tasks }
        set { boxForChange.tasks = newValue }
    }
    public var minRows: Int? {
        get { box.minRows }
        set { boxForChange.minRows = newValue }
    }
    public var maxRows: Int? {
        get { box.maxRows }
        set { boxForChange.maxRows = newValue }
    }
    public var accept: [String] {
        get { box.accept }
        set { boxForChange.accept = newValue }
    }
    public var maxBytes: Int? {
        get { box.maxBytes }
        set { boxForChange.maxBytes = newValue }
    }
    /// The kernel or a workflow relies on this field: overlays may not hide or loosen it.
    public var protected: Bool {
        get { box.protected }
        set { boxForChange.protected = newValue }
    }
    public var position: SourcePosition {
        get { box.position }
        set { boxForChange.position = newValue }
    }

    public init(id: String, type: FieldType, sensitivity: Sensitivity, position: SourcePosition) {
        box = Box(id: id, type: type, sensitivity: sensitivity, position: position)
    }

    public static func == (a: FieldDefinition, b: FieldDefinition) -> Bool {
        a.box === b.box
            || (a.id == b.id
                && a.type == b.type
                && a.label == b.label
                && a.hint == b.hint
                && a.required == b.required
                && a.requiredIf == b.requiredIf
                && a.showIf == b.showIf
                && a.validIf == b.validIf
                && a.message == b.message
                && a.min == b.min
                && a.max == b.max
                && a.minDay == b.minDay
                && a.maxDay == b.maxDay
                && a.notFuture == b.notFuture
                && a.minLength == b.minLength
                && a.maxLength == b.maxLength
                && a.pattern == b.pattern
                && a.minItems == b.minItems
                && a.maxItems == b.maxItems
                && a.sensitivity == b.sensitivity
                && a.defaultValue == b.defaultValue
                && a.lookup == b.lookup
                && a.level == b.level
                && a.expr == b.expr
                && a.fields == b.fields
                && a.tasks == b.tasks
                && a.minRows == b.minRows
                && a.maxRows == b.maxRows
                && a.accept == b.accept
                && a.maxBytes == b.maxBytes
                && a.protected == b.protected
                && a.position == b.position)
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
