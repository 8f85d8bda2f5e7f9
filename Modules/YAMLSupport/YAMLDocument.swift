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

    /// Reads and parses `path`. Throws ``AmanaError/definition(_:)`` with a
    /// positioned diagnostic for a missing, oversized or malformed file.
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
        guard let text = String(data: data, encoding: .utf8) else {
            throw AmanaError.definition([Diagnostic(file: path, line: 1, column: 1, code: "YAML003", message: "the file is not UTF-8 text")])
        }
        return try parse(text, file: path, allowEmpty: allowEmpty)
    }

    /// Parses YAML text; `file` names it in diagnostics.
    public static func parse(_ text: String, file: String, allowEmpty: Bool = false) throws(AmanaError) -> YAMLDocument {
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
