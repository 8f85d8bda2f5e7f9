import AmanaCore
import Foundation
import Yams

/// A YAML file read into Yams nodes, keeping every node's line and column so
/// that each problem can be reported as `file:line:column`.
public struct YAMLDocument {
    /// The path as given, used in diagnostics.
    public let file: String
    public let root: Node

    /// Files larger than this are refused before parsing.
    public static let defaultMaxBytes = 2 * 1024 * 1024
    /// The most nodes a definition file may expand to, aliases followed (a few aliases can
    /// make a small file a tree of billions of nodes).
    public static let maxNodes = 200_000

    /// Reads and parses `path`. Throws ``AmanaError/definition(_:)`` with a
    /// positioned diagnostic for a missing, oversized or malformed file. A file this
    /// process has parsed twice with the same bytes is not parsed again (see `ParsedFiles`).
    /// - Parameter allowEmpty: an empty file (or only comments) reads as an empty mapping.
    public static func load(path: String, maxBytes: Int = defaultMaxBytes, allowEmpty: Bool = false) throws(AmanaError) -> YAMLDocument {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let size = attributes?[.size] as? Int, let data = FileManager.default.contents(atPath: path) else {
            throw AmanaError.definition([Diagnostic(file: path, line: 1, column: 1, code: "YAML001", message: "cannot read the file")])
        }
        guard size <= maxBytes else {
            throw AmanaError.definition([Diagnostic(
                file: path, line: 1, column: 1, code: "YAML002", message: "the file is \(size) bytes; the limit is \(maxBytes)")])
        }
        // Bytes parsed before were UTF-8 then: a kept tree needs no second decoding.
        if let root = ParsedFiles.root(of: path, allowEmpty: allowEmpty, bytes: data) { return YAMLDocument(file: path, root: root) }
        guard let text = String(data: data, encoding: .utf8) else {
            throw AmanaError.definition([Diagnostic(file: path, line: 1, column: 1, code: "YAML003", message: "the file is not UTF-8 text")])
        }
        let document = try parse(text, file: path, allowEmpty: allowEmpty)
        ParsedFiles.keep(document.root, of: path, allowEmpty: allowEmpty, bytes: data)
        return document
    }

    /// Parses YAML text; `file` names it in diagnostics.
    public static func parse(_ text: String, file: String, allowEmpty: Bool = false) throws(AmanaError) -> YAMLDocument {
        if let line = tooDeep(text) {
            throw AmanaError.definition([Diagnostic(
                file: file, line: line, column: 1, code: "YAML006",
                message: "the YAML is nested more than \(maxDepth) levels deep; definitions never need that")])
        }
        do {
            guard let root = try Yams.compose(yaml: text) else {
                if allowEmpty { return YAMLDocument(file: file, root: .mapping(.init([]))) }
                throw AmanaError.definition([Diagnostic(file: file, line: 1, column: 1, code: "YAML004", message: "the file is empty")])
            }
            return YAMLDocument(file: file, root: root)
        } catch let error as AmanaError {
            throw error
        } catch let error as YamlError {
            throw AmanaError.definition([diagnostic(for: error, file: file)])
        } catch {
            throw AmanaError.definition([Diagnostic(file: file, line: 1, column: 1, code: "YAML005", message: "not valid YAML")])
        }
    }

    /// Deeper than any definition needs, and shallow enough that building the
    /// node tree (which recurses) cannot exhaust the stack.
    public static let maxDepth = 200

    /// The line where flow nesting (`[` `{`) or indentation first gets too deep, if it does.
    static func tooDeep(_ text: String) -> Int? {
        var depth = 0, line = 1, column = 0, indenting = true
        var quote: Character?
        for character in text {
            if character == "\n" {
                line += 1; column = 0; indenting = true
                continue
            }
            if indenting {
                if character == " " {
                    column += 1
                    if column > maxDepth * 4 { return line }
                    continue
                }
                indenting = false
            }
            if let open = quote {
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "\"", "'": quote = character
            case "#": indenting = false
            case "[", "{":
                depth += 1
                if depth > maxDepth { return line }
            case "]", "}": depth = max(0, depth - 1)
            default: break
            }
        }
        return nil
    }

    static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return Diagnostic(file: file, line: mark.line, column: mark.column, code: "YAML005", message: "malformed YAML: \(text)")
        default:
            return Diagnostic(file: file, line: 1, column: 1, code: "YAML005", message: "malformed YAML")
        }
    }
}
