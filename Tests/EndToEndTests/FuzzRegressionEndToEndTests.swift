import Foundation
import Testing

/// Every input in `Tools/Fuzz/Corpus/` (the seeds, and every crash fuzzing ever found,
/// kept once fixed) replayed through the fuzz targets by `amana-fuzz` built without
/// libFuzzer: each must be answered without a crash.
@Suite("End to end: the fuzzing corpus replayed")
struct FuzzRegressionEndToEndTests {
    @Test(arguments: ["definitions", "expression", "submission", "transfer", "json"])
    func everyKeptInputIsHandled(target: String) throws {
        let binary = URL(fileURLWithPath: AmanaBinary.path).deletingLastPathComponent().appendingPathComponent("amana-fuzz").path
        let corpus = AmanaBinary.repositoryRoot + "/Tools/Fuzz/Corpus/" + target
        let inputs = try FileManager.default.contentsOfDirectory(atPath: corpus)
        #expect(inputs.count >= 3, "the \(target) corpus has seeds")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [corpus]
        process.environment = ["AMANA_FUZZ_TARGET": target, "AMANA_SHIPPED_DIR": AmanaBinary.repositoryRoot, "PATH": "/usr/bin:/bin"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("\(target): \(inputs.count) input(s) replayed, no crash"), "\(text)")
    }
}
