import AmanaCore
import FormKit
import Foundation

extension Kernel {
    /// Where definitions are read from, in order: the kernel's own
    /// (`FormDefinitions/`), the shipped programme plugins (`Plugins/`), then
    /// the install's `plugins/` (its own plugins and overlays).
    public static func definitionRoots(shipped: String, install: InstallLayout?) -> [String] {
        [shipped + "/FormDefinitions", shipped + "/Plugins"] + (install.map { [$0.pluginsDirectory] } ?? [])
    }

    /// Loads and checks definitions without opening an install: what
    /// `amana forms lint` runs. `extraRoots` are linted with the shipped ones,
    /// so that their references to `core/...` resolve.
    public static func lintDefinitions(extraRoots: [String] = [], shippedDirectory: String? = nil) throws(AmanaError) -> DefinitionCatalog {
        let shipped: String
        if let shippedDirectory { shipped = shippedDirectory } else { shipped = try ShippedContent.locate() }
        for root in extraRoots where !FileManager.default.fileExists(atPath: root) {
            throw .invalid("path-missing", "\(root) does not exist.")
        }
        return DefinitionLoader.load(roots: definitionRoots(shipped: shipped, install: nil) + extraRoots)
    }
}
