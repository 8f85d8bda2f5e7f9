import Yams
import YAMLSupport

/// Reads one lookup file.
struct LookupParser {
    var parser: DefinitionParser
    let plugin: String

    init(file: String, plugin: String, languages: [String]) {
        parser = DefinitionParser(file: file, languages: languages)
        self.plugin = plugin
    }

    static let lookupKeys = ["id", "title", "levels", "options"]
    static let optionKeys = ["code", "label", "parent", "level"]

    mutating func parse(_ root: Node) -> LookupDefinition? {
        guard let keys = parser.reader.mapping(root, what: "a lookup", allowed: Self.lookupKeys, required: ["id", "title", "options"]) else { return nil }
        let id = parser.definitionID(keys["id"], what: "lookup", namespace: plugin)
        let title = parser.translations(keys["title"], what: "the lookup title")
        let levels = keys["levels"].flatMap { parser.reader.strings($0, what: "levels") } ?? []
        var options: [LookupDefinition.Option] = []
        var codes: [String: Int] = [:]
        if let list = keys["options"].flatMap({ parser.reader.sequence($0, what: "options") }) {
            if list.isEmpty { parser.error(keys["options"], "FK030", "a lookup needs at least one option") }
            for node in list {
                guard let o = parser.reader.mapping(node, what: "an option", allowed: Self.optionKeys, required: ["code", "label"]),
                      let code = parser.code(o["code"], what: "option code"),
                      let label = parser.translations(o["label"], what: "the label of option '\(code)'")
                else { continue }
                if let line = codes[code] {
                    parser.error(o["code"], "FK031", "duplicate option code '\(code)' (first at line \(line))")
                    continue
                }
                codes[code] = o["code"]?.mark?.line ?? 0
                let parent = o["parent"].flatMap { parser.reader.string($0, what: "parent") }
                let level = o["level"].flatMap { parser.reader.string($0, what: "level") }
                if let level, !levels.contains(level) {
                    parser.error(o["level"], "FK032", "unknown level '\(level)'; the lookup's levels are \(levels.joined(separator: ", "))")
                }
                if !levels.isEmpty, level == nil { parser.error(node, "FK032", "option '\(code)' needs a level (one of \(levels.joined(separator: ", ")))") }
                options.append(.init(code: code, label: label, parent: parent, level: level))
            }
        }
        // Parents must exist, one level up.
        for (option, node) in zip(options, keys["options"]?.sequence.map(Array.init) ?? []) {
            guard let parent = option.parent else {
                if let level = option.level, levels.firstIndex(of: level) ?? 0 > 0 {
                    parser.error(node, "FK033", "option '\(option.code)' at level '\(level)' needs a parent")
                }
                continue
            }
            guard let parentOption = options.first(where: { $0.code == parent }) else {
                parser.error(node, "FK033", "option '\(option.code)' has an unknown parent '\(parent)'")
                continue
            }
            if let level = option.level, let parentLevel = parentOption.level,
               let i = levels.firstIndex(of: level), let j = levels.firstIndex(of: parentLevel), j != i - 1 {
                parser.error(node, "FK033", "the parent of '\(option.code)' (\(level)) must be at level '\(levels[max(0, i - 1)])', not '\(parentLevel)'")
            }
        }
        guard let id, let title else { return nil }
        return LookupDefinition(id: id, title: title, levels: levels, options: options, plugin: plugin, position: parser.position(root))
    }
}
