import AmanaCore
import FormKit
import Foundation
import Kernel
import Yams

/// Issue 4's figures: loading and checking every shipped definition (against
/// Yams parsing the same files and nothing more), and validating a 100-field
/// submission with conditions (against decoding the same submission's JSON).
enum DefinitionBenchmarks {
    static func run(shipped root: String) throws {
        let roots = Kernel.definitionRoots(shipped: root, install: nil)
        let files = yamlFiles(under: roots)
        let raw = try Harness.measure("raw Yams: read + compose \(files.count) shipped files", iterations: 20) {
            for file in files { _ = try Yams.compose(yaml: try String(contentsOfFile: file, encoding: .utf8)) }
        }
        var catalog = DefinitionLoader.load(roots: roots)
        Harness.report(Harness.measure("load + check all shipped definitions", iterations: 20) {
            catalog = DefinitionLoader.load(roots: roots)
        }, against: raw)
        precondition(catalog.errors.isEmpty, "the shipped definitions have errors: run amana forms lint")

        let (validator, submission, json) = try hundredFieldForm()
        let today = Day(year: 2026, month: 11, day: 25)!
        let decode = try Harness.measure("raw JSONDecoder: the same 100-field submission", iterations: 5_000) {
            _ = try JSONDecoder().decode([String: SubmittedValue].self, from: json)
        }
        var problems = 0
        Harness.report(Harness.measure("validate 100 fields with conditions", iterations: 5_000) {
            problems = validator.validate(submission, today: today).problems.count
        }, against: decode)
        precondition(problems == 0, "the benchmark submission should be valid")
    }

    static func yamlFiles(under roots: [String]) -> [String] {
        roots.flatMap { root -> [String] in
            let enumerator = FileManager.default.enumerator(atPath: root)
            return (enumerator?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".yaml") }.map { root + "/" + $0 }
        }.sorted()
    }

    /// A form of 100 fields, every fourth shown only when the one before is
    /// answered yes, every tenth checked with valid_if, and a calculated total.
    static func hundredFieldForm() throws -> (SubmissionValidator, [String: SubmittedValue], Data) {
        var fields: [String] = []
        var values: [String: SubmittedValue] = [:]
        for i in 0..<100 {
            switch i % 4 {
            case 0:
                fields.append("      - {id: q\(i), type: yes_no, label: {en: Q\(i), ar: س\(i)}}")
                values["q\(i)"] = .bool(true)
            case 1:
                fields.append("      - {id: q\(i), type: integer, min: 0, max: 100, show_if: \"q\(i - 1) == true\", label: {en: Q\(i), ar: س\(i)}}")
                values["q\(i)"] = .number(Double(i))
            case 2:
                let check = i % 10 == 2 ? ", valid_if: \"length(q\(i)) <= 40\", message: {en: Too long, ar: طويل جدًا}" : ""
                fields.append("      - {id: q\(i), type: text, max_length: 200\(check), label: {en: Q\(i), ar: س\(i)}}")
                values["q\(i)"] = .string("answer number \(i)")
            default:
                fields.append("      - {id: q\(i), type: date, not_future: true, label: {en: Q\(i), ar: س\(i)}}")
                values["q\(i)"] = .string("2025-0\(1 + i % 9)-1\(i % 10)")
            }
        }
        fields[99] = "      - {id: q99, type: calculated, expr: \"q1 + q5 + q9\", label: {en: Total, ar: المجموع}}"
        values["q99"] = nil
        let form = """
            id: bench/hundred
            version: 1
            title: {en: Hundred, ar: مئة}
            sections:
              - id: main
                title: {en: Main, ar: رئيسي}
                fields:
            \(fields.joined(separator: "\n"))
            """
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("amana-bench-forms-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/forms", withIntermediateDirectories: true)
        try "id: bench\nversion: 1.0.0\nkernel: \">=1.0\"\ntitle: {en: Bench, ar: قياس}\nforms: [forms/*.yaml]\n"
            .write(toFile: directory + "/plugin.yaml", atomically: true, encoding: .utf8)
        try form.write(toFile: directory + "/forms/hundred.yaml", atomically: true, encoding: .utf8)
        let catalog = DefinitionLoader.load(roots: [directory])
        guard let validator = catalog.validator(for: "bench/hundred") else {
            throw AmanaError(.internalFailure, code: "bench-form", catalog.diagnostics.map(\.description).joined(separator: "\n"))
        }
        return (validator, values, try JSONEncoder().encode(values))
    }
}
