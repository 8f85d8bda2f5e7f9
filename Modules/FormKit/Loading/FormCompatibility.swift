import AmanaCore
import Foundation

/// Compares a form with the last version of it an install has served (its
/// client document, as recorded then). Answers already given must stay
/// readable: a removed field or a changed type is an error unless the form's
/// `migration` names it; changing a form without raising its version, or
/// going back to an older version, is an error too.
public enum FormCompatibility {
    public static func problems(_ form: FormDefinition, lookups: [String: LookupDefinition], previousVersion: Int, previousDocument: String) -> [Diagnostic] {
        let here = form.position
        func error(_ code: String, _ message: String) -> Diagnostic {
            Diagnostic(file: here.file, line: here.line, column: here.column, code: code, message: message)
        }
        if form.version < previousVersion {
            return [error("FK103", "form '\(form.id)' is version \(form.version), but this install has served version \(previousVersion): a plugin cannot go back")]
        }
        let current = FormDocument.document(form, lookups: lookups)
        if form.version == previousVersion {
            return withoutOptions(current.encoded()) == withoutOptions(Data(previousDocument.utf8)) ? [] :
                [error("FK102", "form '\(form.id)' changed but is still version \(form.version): raise its version so that answers given with the old one stay readable")]
        }
        let old = fieldTypes(previousDocument)
        let new = fieldTypes(current.encoded())
        let migration = form.migration.flatMap { $0.from == previousVersion ? $0 : nil }
        var out: [Diagnostic] = []
        if let stated = form.migration, stated.from != previousVersion {
            out.append(error("FK101", "the migration of '\(form.id)' is from version \(stated.from), but this install last served version \(previousVersion)"))
        }
        for (field, oldType) in old.sorted(by: { $0.key < $1.key }) {
            if let renamedTo = migration?.renamed[field] {
                if new[renamedTo] == nil { out.append(error("FK101", "'\(field)' is renamed to '\(renamedTo)', which form '\(form.id)' does not have")) }
                continue
            }
            guard let newType = new[field] else {
                if migration?.removed.contains(field) != true {
                    out.append(error("FK100", "field '\(field)' of '\(form.id)' v\(previousVersion) is gone in v\(form.version); list it under migration.removed (or renamed) to confirm"))
                }
                continue
            }
            if newType != oldType, migration?.retyped.contains(field) != true {
                out.append(error("FK100", "field '\(field)' of '\(form.id)' changed from \(oldType) to \(newType); list it under migration.retyped to confirm"))
            }
        }
        return out
    }

    /// The document without lookup options: a lookup changes on its own, not as part of the form's version.
    static func withoutOptions(_ data: Data) -> Data? {
        func strip(_ value: Any) -> Any {
            if var object = value as? [String: Any] {
                object["options"] = nil
                return object.mapValues(strip)
            }
            if let array = value as? [Any] { return array.map(strip) }
            return value
        }
        guard let root = try? JSONSerialization.jsonObject(with: data) else { return nil }
        return try? JSONSerialization.data(withJSONObject: strip(root), options: [.sortedKeys])
    }

    /// Field id -> type, at every depth, from a form's client document.
    static func fieldTypes(_ document: String) -> [String: String] { fieldTypes(Data(document.utf8)) }

    static func fieldTypes(_ data: Data) -> [String: String] {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        var out: [String: String] = [:]
        func visit(_ fields: [[String: Any]]) {
            for f in fields {
                if let id = f["id"] as? String, let type = f["type"] as? String { out[id] = type }
                visit(f["fields"] as? [[String: Any]] ?? [])
            }
        }
        for section in root["sections"] as? [[String: Any]] ?? [] { visit(section["fields"] as? [[String: Any]] ?? []) }
        return out
    }
}
