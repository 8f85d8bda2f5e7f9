import AmanaCore
import Yams
import YAMLSupport

/// Every role of an install, read from the kernel's roles file and extended
/// by plugins (which may add roles or grant more to an existing one).
public struct RoleCatalog: Sendable {
    public private(set) var roles: [String: Role]
    /// Each role a `supervises` list names, with where it is named: checked once every
    /// roles file is read (``unknownSupervisedRoles()``), since a plugin may add the role.
    var supervisedNamed: [(role: String, at: Diagnostic)] = []

    public init(roles: [Role]) {
        self.roles = Dictionary(roles.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// A `supervises` list naming a role no roles file defines: `ID007` at its position.
    public func unknownSupervisedRoles() -> [Diagnostic] {
        supervisedNamed.filter { roles[$0.role] == nil }.map(\.at)
    }

    public func role(_ id: String) -> Role? { roles[id] }

    /// Adds a plugin's roles file: new roles are added; for a role that already
    /// exists, the plugin's permissions are added to it (a plugin may grant more,
    /// never take away: the kernel's refusals stay in force).
    public func extended(with other: RoleCatalog) -> RoleCatalog {
        var merged = self
        for (id, role) in other.roles {
            if var existing = merged.roles[id] {
                existing.permissions += role.permissions
                existing.supervises.formUnion(role.supervises)
                existing.label.merge(role.label) { current, _ in current }
                merged.roles[id] = existing
            } else {
                merged.roles[id] = role
            }
        }
        merged.supervisedNamed += other.supervisedNamed
        return merged
    }

    public var roleIDs: [String] { roles.keys.sorted() }

    /// Reads a roles file; throws every problem found, each with its position.
    public static func load(path: String) throws(AmanaError) -> RoleCatalog {
        let document = try YAMLDocument.load(path: path)
        return try parse(document)
    }

    public static func parse(_ document: YAMLDocument) throws(AmanaError) -> RoleCatalog {
        var reader = YAMLReader(file: document.file)
        var roles: [Role] = []
        var supervisedNamed: [(role: String, at: Diagnostic)] = []
        if let top = reader.mapping(document.root, what: "the roles file", allowed: ["roles"], required: ["roles"]),
           let list = top["roles"].flatMap({ reader.sequence($0, what: "roles") }) {
            for node in list {
                guard let role = parseRole(node, reader: &reader, supervisedNamed: &supervisedNamed) else { continue }
                if roles.contains(where: { $0.id == role.id }) {
                    reader.report(node, "ID002", "duplicate role '\(role.id)'")
                    continue
                }
                roles.append(role)
            }
        }
        guard !reader.hasErrors else { throw AmanaError.definition(reader.diagnostics) }
        var catalog = RoleCatalog(roles: roles)
        catalog.supervisedNamed = supervisedNamed
        return catalog
    }

    static func parseRole(_ node: Node, reader: inout YAMLReader, supervisedNamed: inout [(role: String, at: Diagnostic)]) -> Role? {
        guard let fields = reader.mapping(node, what: "a role", allowed: ["id", "label", "permissions", "supervises"], required: ["id", "label", "permissions"]),
              let id = fields["id"].flatMap({ reader.string($0, what: "a role id") }),
              let label = fields["label"].flatMap({ reader.translations($0, what: "a role label") }),
              let list = fields["permissions"].flatMap({ reader.sequence($0, what: "permissions") })
        else { return nil }
        if label["en"] == nil { reader.report(fields["label"], "ID003", "role '\(id)' needs an English label (en)") }
        var permissions: [Permission] = []
        for item in list {
            guard let p = reader.mapping(item, what: "a permission", allowed: ["resource", "actions", "scope"], required: ["resource", "actions", "scope"]),
                  let resource = p["resource"].flatMap({ reader.string($0, what: "a resource") }),
                  let actionNodes = p["actions"].flatMap({ reader.sequence($0, what: "actions") }),
                  let scopeText = p["scope"].flatMap({ reader.string($0, what: "a scope") })
            else { continue }
            guard let known = Permission.vocabulary[resource] else {
                let hint = YAMLReader.didYouMean(resource, in: Array(Permission.vocabulary.keys))
                reader.report(p["resource"], "ID004", "unknown resource '\(resource)'\(hint)")
                continue
            }
            var actions: [String] = []
            for node in actionNodes {
                guard let action = reader.string(node, what: "an action") else { continue }
                if known.contains(action) {
                    actions.append(action)
                } else {
                    reader.report(node, "ID005", "unknown action '\(action)' on '\(resource)'; expected one of \(known.sorted().joined(separator: ", "))")
                }
            }
            guard let scope = Scope(rawValue: scopeText) else {
                reader.report(p["scope"], "ID006", "unknown scope '\(scopeText)'; expected one of \(Scope.allCases.map(\.rawValue).joined(separator: ", "))")
                continue
            }
            permissions.append(Permission(resource: resource, actions: Set(actions), scope: scope))
        }
        var supervises: Set<String> = []
        for item in fields["supervises"].flatMap({ reader.sequence($0, what: "supervises (a list of role ids)") }) ?? [] {
            guard let supervised = reader.string(item, what: "a role id") else { continue }
            supervises.insert(supervised)
            let mark = item.mark
            supervisedNamed.append((supervised, Diagnostic(
                file: reader.file, line: mark?.line ?? 1, column: mark?.column ?? 1, code: "ID007",
                message: "role '\(id)' supervises '\(supervised)', which no roles file defines")))
        }
        return Role(id: id, label: label, permissions: permissions, supervises: supervises)
    }
}
