import AmanaCore
import Foundation

/// Finds the definitions shipped with the program (`FormDefinitions/`,
/// `Plugins/`), which are read from disk at run time, not compiled in.
///
/// Looked for in order: `AMANA_SHIPPED_DIR`; the directories above the running
/// executable (a build inside the source tree); the current directory and
/// its parents.
public enum ShippedContent {
    public static func locate(executablePath: String = CommandLine.arguments.first ?? "") throws(AmanaError) -> String {
        if let explicit = ProcessInfo.processInfo.environment["AMANA_SHIPPED_DIR"] {
            guard isShippedRoot(explicit) else {
                throw AmanaError.install("shipped-missing", "AMANA_SHIPPED_DIR=\(explicit) does not hold FormDefinitions/ and Plugins/.")
            }
            return explicit
        }
        let executable = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? executablePath)
        for start in [executable.deletingLastPathComponent(), URL(fileURLWithPath: FileManager.default.currentDirectoryPath)] {
            var directory = start.standardizedFileURL
            while true {
                if isShippedRoot(directory.path) { return directory.path }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        throw AmanaError.install(
            "shipped-missing", "Cannot find the shipped definitions (FormDefinitions/ and Plugins/); set AMANA_SHIPPED_DIR to the directory that holds them.")
    }

    static func isShippedRoot(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path + "/FormDefinitions/core/roles.yaml")
            && FileManager.default.fileExists(atPath: path + "/Plugins", isDirectory: &isDirectory) && isDirectory.boolValue
    }

    public static func rolesFile(in root: String) -> String { root + "/FormDefinitions/core/roles.yaml" }
}
