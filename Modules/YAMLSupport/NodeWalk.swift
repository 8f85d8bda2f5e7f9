import Yams

extension Node {
    /// Calls `visit` on this node and every node under it, keys included, aliases followed;
    /// false, and no more visits, once more than `limit` nodes were met (a few aliases can make
    /// a small file a tree of billions of nodes).
    public func visitEveryNode(atMost limit: Int, _ visit: (Node) -> Void = { _ in }) -> Bool {
        var remaining = limit
        var stack = [self]
        while let node = stack.popLast() {
            remaining -= 1
            if remaining < 0 { return false }
            visit(node)
            switch node {
            case .mapping(let mapping): for (key, value) in mapping { stack.append(key); stack.append(value) }
            case .sequence(let sequence): stack.append(contentsOf: sequence)
            case .scalar, .alias: break
            }
        }
        return true
    }
}
