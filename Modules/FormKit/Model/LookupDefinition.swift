/// A list of options with stable codes and translated labels; with `levels`,
/// a hierarchy (governorate > district > ...).
public struct LookupDefinition: Sendable, Equatable {
    public struct Option: Sendable, Equatable {
        public var code: String
        public var label: Translations
        public var parent: String?
        public var level: String?

        public init(code: String, label: Translations, parent: String? = nil, level: String? = nil) {
            self.code = code
            self.label = label
            self.parent = parent
            self.level = level
        }
    }

    public var id: String
    public var title: Translations
    public var levels: [String]
    public var options: [Option]
    public var plugin: String
    public var position: SourcePosition

    public init(id: String, title: Translations, levels: [String] = [], options: [Option], plugin: String, position: SourcePosition) {
        self.id = id
        self.title = title
        self.levels = levels
        self.options = options
        self.plugin = plugin
        self.position = position
    }

    public func option(_ code: String) -> Option? { options.first { $0.code == code } }
}
