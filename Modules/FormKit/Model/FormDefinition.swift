/// A section of a form: a titled group of fields, itself possibly conditional.
public struct SectionDefinition: Sendable, Equatable {
    public var id: String
    public var title: Translations
    public var showIf: Expression?
    public var fields: [FieldDefinition]

    public init(id: String, title: Translations, showIf: Expression? = nil, fields: [FieldDefinition]) {
        self.id = id
        self.title = title
        self.showIf = showIf
        self.fields = fields
    }
}

/// A form, as defined by a plugin and changed by the install's overlays.
public struct FormDefinition: Sendable, Equatable {
    public var id: String
    /// Raised on every change; each submission records the version it was made with.
    public var version: Int
    public var title: Translations
    public var sensitivity: Sensitivity
    public var sections: [SectionDefinition] {
        // Kept with the sections, as every validation, search and read walks them.
        didSet { index() }
    }
    /// The plugin that defines it.
    public var plugin: String
    /// The overlays applied to it: overlay plugin id -> overlay version. Part of
    /// the version a submission records.
    public var overlays: [String: Int] = [:]
    /// How answers given with an earlier version carry over (`migration:`).
    public var migration: FormMigration?
    /// A case holds many submissions of this form (case notes, follow-ups, one
    /// consent per person); otherwise one, edited in place.
    public var multiple = false
    /// Narrows who may read this form's answers, among those who may read the
    /// case (`readable_by: [case_worker, case_manager]`). Empty: everyone who
    /// may read the case.
    public var readableBy: [String] = []
    /// Narrows who may fill in or change this form, among those who may read it
    /// (`filled_by: [case_manager, team_lead]`: a supervisor's case file review,
    /// read by the case worker). Empty: everyone who may read it.
    public var filledBy: [String] = []
    /// Filled in after the case is closed, by contacting the person (service
    /// feedback, `after_closure: true`): on a closed case, only with their
    /// consent to be contacted after closure (the consent policy's answer).
    public var afterClosure = false
    public var position: SourcePosition

    public init(id: String, version: Int, title: Translations, sensitivity: Sensitivity, sections: [SectionDefinition], plugin: String, position: SourcePosition) {
        self.id = id
        self.version = version
        self.title = title
        self.sensitivity = sensitivity
        self.sections = sections
        self.plugin = plugin
        self.position = position
        index()
    }

    /// Every field at the top level of the form (not inside repeats), in order.
    public private(set) var topLevelFields: [FieldDefinition] = []

    /// The position of each top-level field in ``topLevelFields``, by id.
    public private(set) var topLevelPositions: [String: Int] = [:]

    /// Every field, including those inside repeats, depth first.
    public private(set) var allFields: [FieldDefinition] = []

    public func field(_ id: String) -> FieldDefinition? { allFields.first { $0.id == id } }

    private mutating func index() {
        func walk(_ fields: [FieldDefinition]) -> [FieldDefinition] { fields.flatMap { [$0] + walk($0.fields) } }
        topLevelFields = sections.flatMap(\.fields)
        topLevelPositions = Dictionary(topLevelFields.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        allFields = walk(topLevelFields)
    }
}

/// A form's acknowledgement of the breaking changes since an earlier version:
/// without it, removing a field or changing its type is a lint error, because
/// answers already given would silently stop showing.
public struct FormMigration: Sendable, Equatable {
    /// The version these changes are relative to.
    public var from: Int
    /// Fields dropped on purpose: their old answers stay readable in old submissions only.
    public var removed: [String]
    /// Old field id -> new field id: old answers are shown under the new field.
    public var renamed: [String: String]
    /// Fields whose type changed on purpose: old answers are shown as they were given.
    public var retyped: [String]

    public init(from: Int, removed: [String] = [], renamed: [String: String] = [:], retyped: [String] = []) {
        self.from = from
        self.removed = removed
        self.renamed = renamed
        self.retyped = retyped
    }
}
