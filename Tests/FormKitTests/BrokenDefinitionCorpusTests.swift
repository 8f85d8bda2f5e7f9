import AmanaCore
import Foundation
import Testing
@testable import FormKit

/// Every directory under `Corpus/` is a plugin with one mistake; its
/// `expected.txt` lists the diagnostics (path relative to the plugin, line,
/// column, severity, code and the start of the message) the loader must give.
@Suite("Broken definitions corpus")
struct BrokenDefinitionCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus").path

    static var cases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? []).sorted()
    }

    @Test func theCorpusIsThere() {
        #expect(Self.cases.count >= 15)
    }

    @Test(arguments: cases)
    func givesTheExpectedDiagnostics(name: String) throws {
        let directory = Self.corpus + "/" + name
        let catalog = DefinitionLoader.load(roots: [directory])
        let produced = catalog.diagnostics.map { d in
            Diagnostic(file: d.file.replacingOccurrences(of: directory + "/", with: ""), line: d.line, column: d.column, severity: d.severity, code: d.code, message: d.message).description
        }
        let expected = try String(contentsOfFile: directory + "/expected.txt", encoding: .utf8).split(separator: "\n").map(String.init)
        for line in expected {
            #expect(produced.contains { $0.hasPrefix(line) }, "\(name): expected \(line)\n got:\n\(produced.joined(separator: "\n"))")
        }
        // An error keeps the plugin out; a warning alone does not.
        let hasError = expected.contains { $0.contains(": error[") }
        #expect(catalog.plugins["t"] == nil || !hasError)
        #expect(catalog.refusedPlugins.contains("t") == hasError)
    }

    @Test func aTenMegabyteFileIsRefusedUnread() throws {
        let directory = try copyOfCase("missing-translation")
        let big = "# " + String(repeating: "x", count: 10 << 20) + "\n"
        try big.write(toFile: directory + "/forms/form.yaml", atomically: true, encoding: .utf8)
        let catalog = DefinitionLoader.load(roots: [directory])
        #expect(catalog.errors.contains { $0.code == "YAML002" })
    }

    @Test func deeplyNestedYAMLIsADiagnosticNotACrash() throws {
        let directory = try copyOfCase("missing-translation")
        let deep = "id: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n"
        try deep.write(toFile: directory + "/forms/form.yaml", atomically: true, encoding: .utf8)
        let catalog = DefinitionLoader.load(roots: [directory])
        #expect(catalog.errors.contains { $0.code == "YAML006" })
        let indented = (0..<1000).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1\n"
        try indented.write(toFile: directory + "/forms/form.yaml", atomically: true, encoding: .utf8)
        #expect(DefinitionLoader.load(roots: [directory]).errors.contains { $0.code == "YAML006" })
    }

    @Test func oneBrokenPluginDoesNotStopTheOthers() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.corpus + "/unknown-lookup", toPath: root + "/broken")
        try FileManager.default.copyItem(atPath: Self.corpus + "/missing-translation", toPath: root + "/fine")
        // Give the fine one its own namespace.
        for file in ["plugin.yaml", "forms/form.yaml", "lookups/violence-types.yaml"] {
            let path = root + "/fine/" + file
            let text = try String(contentsOfFile: path, encoding: .utf8)
                .replacingOccurrences(of: "id: t\n", with: "id: u\n").replacingOccurrences(of: "id: t/", with: "id: u/")
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let catalog = DefinitionLoader.load(roots: [root])
        #expect(catalog.refusedPlugins == ["t"])
        #expect(catalog.forms["u/incident"] != nil)
        #expect(catalog.forms["t/incident"] == nil)
    }

    func copyOfCase(_ name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: Self.corpus + "/" + name, toPath: directory)
        return directory
    }
}
