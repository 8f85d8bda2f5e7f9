import AmanaCore

/// Reading and writing answers by JSON pointer (`/caregivers/0/name`), the
/// paths the validator reports problems at.
enum JSONPath {
    static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    static func get(_ root: JSONValue, _ components: [String]) -> JSONValue? {
        guard let first = components.first else { return root }
        let rest = Array(components.dropFirst())
        switch root {
        case .object(let object): return object[first].flatMap { get($0, rest) }
        case .array(let items): return Int(first).flatMap { items.indices.contains($0) ? get(items[$0], rest) : nil }
        default: return nil
        }
    }

    /// Sets (or with nil, removes) the value at the path, making the objects on the way.
    static func set(_ root: inout JSONValue, _ components: [String], _ value: JSONValue?) {
        guard let first = components.first else {
            root = value ?? .null
            return
        }
        let rest = Array(components.dropFirst())
        switch root {
        case .array(var items):
            guard let index = Int(first), items.indices.contains(index) else { return }
            if rest.isEmpty, value == nil {
                items.remove(at: index)
            } else {
                set(&items[index], rest, value)
            }
            root = .array(items)
        default:
            var object: [String: JSONValue] = [:]
            if case .object(let existing) = root { object = existing }
            if rest.isEmpty {
                object[first] = value
            } else {
                var child = object[first] ?? .object([:])
                set(&child, rest, value)
                object[first] = child
            }
            root = .object(object)
        }
    }
}
