import AmanaCore
import Hummingbird

/// A yes/no query parameter (`?overdue=true`): `true`, `false` or absent. Anything
/// else is a 422 naming the parameter, not a silent "no" that drops the filter.
enum QueryFlag {
    static func read(_ query: Parameters, _ name: String) throws(AmanaError) -> Bool {
        switch query.get(name) {
        case nil, "false": return false
        case "true": return true
        default: throw AmanaError.invalid(name, "\(name) is true or false.", pointer: "/\(name)")
        }
    }
}
