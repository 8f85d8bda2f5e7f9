import Foundation
import Synchronization
import Yams

/// The YAML files this process has parsed more than once, each with the bytes it was parsed from.
///
/// Parsing is a pure function of the bytes, and it is most of what assembling a kernel costs
/// (half the kernel suite's time went to it). A process that assembles many kernels over the
/// same shipped plugins, as the test suites do for hundreds of installs, then parses each
/// unchanged file twice at most; a file whose bytes changed is parsed again (bytes, not
/// `String` equality, which would take a change of Unicode normalisation for no change).
/// A file parsed once, as a server or a command parses its definitions, is not kept: it
/// costs no memory here. Files are still read every time: what is on disk decides.
enum ParsedFiles {
    /// More than the shipped plugins and an install's own files; past it the cache starts over,
    /// so a process that reads many installs' files holds at most this many trees.
    static let capacity = 256

    struct Key: Hashable {
        var path: String
        var allowEmpty: Bool
    }

    /// A parsed tree, shared between threads. Yams' nodes are values except for `Tag`, a class
    /// whose name is resolved lazily on first use and written then; every tag of a kept tree is
    /// resolved before it is kept, so a shared tree is only ever read.
    struct Entry: @unchecked Sendable {
        var bytes: Data
        var root: Node
    }

    struct State {
        /// Files parsed once, by path only.
        var seen: Set<Key> = []
        var kept: [Key: Entry] = [:]
    }

    private static let state = Mutex(State())

    /// The tree parsed earlier from exactly these bytes, if one was kept.
    static func root(of path: String, allowEmpty: Bool, bytes: Data) -> Node? {
        state.withLock { state in
            guard let entry = state.kept[Key(path: path, allowEmpty: allowEmpty)], entry.bytes == bytes else { return nil }
            return entry.root
        }
    }

    /// Keeps `root`, parsed from `bytes`, when its file was parsed before, once every tag
    /// in it is resolved.
    static func keep(_ root: Node, of path: String, allowEmpty: Bool, bytes: Data) {
        let key = Key(path: path, allowEmpty: allowEmpty)
        let parsedBefore = state.withLock { state in
            if state.seen.count >= capacity * 16 { state.seen.removeAll(keepingCapacity: true) }
            return !state.seen.insert(key).inserted
        }
        guard parsedBefore, resolveEveryTag(root) else { return }
        state.withLock { state in
            if state.kept.count >= capacity { state.kept.removeAll(keepingCapacity: true) }
            state.kept[key] = Entry(bytes: bytes, root: root)
        }
    }

    /// Reads every node's tag (which resolves it); false, and not to be kept, for a tree past
    /// `YAMLDocument.maxNodes` (resolving it would cost what an alias bomb costs; the definition
    /// loader refuses it anyway).
    static func resolveEveryTag(_ root: Node) -> Bool {
        root.visitEveryNode(atMost: YAMLDocument.maxNodes) { _ = $0.tag }
    }
}
