/// A text in several languages: `{en: Date of incident, ar: تاريخ الحادثة}`.
public struct Translations: Sendable, Equatable {
    public var texts: [String: String]

    public init(_ texts: [String: String]) { self.texts = texts }

    /// The text in `language`, falling back to English, then to any language.
    public func text(_ language: String) -> String {
        texts[language] ?? texts["en"] ?? texts.values.sorted().first ?? ""
    }

    /// `self` with `other`'s languages laid over it.
    public func merging(_ other: Translations) -> Translations {
        Translations(texts.merging(other.texts) { _, new in new })
    }
}

/// A language the definitions are written in.
public struct Language: Sendable, Equatable {
    public var code: String
    public var name: String
    public var rightToLeft: Bool

    public init(code: String, name: String, rightToLeft: Bool) {
        self.code = code
        self.name = name
        self.rightToLeft = rightToLeft
    }
}
