import AmanaCore
import ArgumentParser
import Foundation
import Kernel

extension CaseCommand {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Open many cases at once from a JSON Lines file (a paper register typed up, another system's export).",
            discussion: """
                One case per line: {"case_type": "gbv", "forms": [{"form": "core/registration", "answers": {...}}, ...]}.
                The forms are filled in in the order given (registration before consent). You hold every case
                opened. Every line is checked first, and if any has a problem nothing is imported: each problem is
                listed as FILE:LINE: path: message. Every case and form is audited as if entered by hand.
                """)
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The JSON Lines file ('-': standard input).") var file: String
        @Option(help: "Cases worked on at once (their saves share commits).") var lanes = Kernel.importLanes

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor) = try await options.open()
                let (cases, lines) = try Self.read(try readInput(file), name: file)
                do {
                    let report = try await kernel.importCases(cases, actor: actor, lanes: lanes, requestID: cliRequestID)
                    if options.json {
                        return try CLIOutput.json(ImportDocument(caseNumbers: report.caseNumbers, unfinished: report.unfinished.keys.sorted().map {
                            ImportDocument.Unfinished(line: lines[$0], caseNumber: report.caseNumbers[$0], error: report.unfinished[$0]!.message)
                        }))
                    }
                    print("Imported \(cases.count) case(s)\(report.caseNumbers.first.map { ": \($0) to \(report.caseNumbers.last!)" } ?? "").")
                    for index in report.unfinished.keys.sorted() {
                        let error = report.unfinished[index]!
                        print("\(file):\(lines[index]): \(report.caseNumbers[index]) was opened but not finished: \(error.message)")
                        for problem in error.fieldProblems { print("  \(problem.path): \(problem.message) [\(problem.code)]") }
                    }
                } catch let error as AmanaError where error.code == "import-invalid" {
                    // The Kernel names cases by position; a person fixes a file by its lines.
                    var located = error
                    located.fieldProblems = error.fieldProblems.map { problem in
                        let parts = problem.path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: true)
                        guard let index = parts.first.flatMap({ Int($0) }), lines.indices.contains(index) else { return problem }
                        return FieldProblem(path: "\(file):\(lines[index]): /" + (parts.count > 1 ? String(parts[1]) : ""), code: problem.code, message: problem.message)
                    }
                    throw located
                }
            }
        }

        /// The cases of a JSON Lines file, with the line each is on (blank lines skipped).
        static func read(_ data: Data, name: String) throws(AmanaError) -> ([ImportedCase], [Int]) {
            var cases: [ImportedCase] = [], lines: [Int] = []
            let decoder = JSONDecoder()
            for (offset, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
                guard line.contains(where: { !($0 == 32 || $0 == 9 || $0 == 13) }) else { continue }
                guard let parsed = try? decoder.decode(ImportLine.self, from: Data(line)) else {
                    throw AmanaError.invalid(
                        "import-line", "\(name):\(offset + 1): expected one case as a JSON object: {\"case_type\": \"gbv\", \"forms\": [{\"form\": \"core/registration\", \"answers\": {...}}]}.")
                }
                cases.append(ImportedCase(caseType: parsed.caseType, entries: parsed.forms.map { ImportedCase.Entry(formID: $0.form, values: $0.answers) }))
                lines.append(offset + 1)
            }
            return (cases, lines)
        }
    }
}

/// One line of an import file.
private struct ImportLine: Decodable {
    struct Form: Decodable {
        var form: String
        var answers: [String: JSONValue]
    }
    var caseType: String
    var forms: [Form]

    enum CodingKeys: String, CodingKey {
        case caseType = "case_type"
        case forms
    }
}

/// `--json` output of an import.
private struct ImportDocument: Encodable {
    struct Unfinished: Encodable {
        var line: Int
        var caseNumber: String
        var error: String
    }
    var caseNumbers: [String]
    var unfinished: [Unfinished]
}
