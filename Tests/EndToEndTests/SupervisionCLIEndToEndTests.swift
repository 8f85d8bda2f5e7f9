import Foundation
import Testing

/// A supervisor's console: the dashboard, an export sealed and opened, a purge asked and approved.
@Suite("Supervision from the console")
struct SupervisionCLIEndToEndTests {
    @Test func dashboardExportAndPurge() throws {
        let data = temporaryDataDirectory()
        let passwords = demoPasswords(try AmanaBinary.run(["init", "--data", data, "--demo"]).stdout)
        let amal = Console(data: data), layla = Console(data: data)
        #expect(try amal.login("amal", passwords["amal"] ?? "").status == 0)
        #expect(try layla.login("layla", passwords["layla"] ?? "").status == 0)
        #expect(try layla.json(["dashboard"])["open_cases"] as? Int == 12)
        #expect(try amal.amana(["dashboard"]).status != 0, "a case worker has her work list, not the team's dashboard")

        // An export sealed with a passphrase read from standard input, opened by its recipient without an install.
        let number = try amal.demoCase(type: "gbv", state: "registered")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("amana-export-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let exported = try layla.amana(
            ["export", "records", number, "--purpose", "person_request", "--output", folder + "/out.sealed"], input: "a long enough passphrase\n")
        #expect(exported.status == 0, "\(exported.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/out.sealed")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let opened = try AmanaBinary.run(["export", "open", folder + "/out.sealed", "--output", folder + "/out.json"], input: "a long enough passphrase\n")
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(try String(contentsOfFile: folder + "/out.json", encoding: .utf8).contains(number))
        let wrong = try AmanaBinary.run(["export", "open", folder + "/out.sealed", "--output", folder + "/wrong.json"], input: "not the passphrase at all\n")
        #expect(wrong.status != 0 && !FileManager.default.fileExists(atPath: folder + "/wrong.json"))

        // The person asks for erasure: amal asks, layla approves, the case is gone.
        let asked = try amal.json(["purge", "request", number, "--reason", "erasure_request"])
        let approval = try #require(asked["id"] as? String)
        #expect(try layla.amana(["approval", "approve", number, approval]).status == 0)
        #expect(try amal.amana(["case", "show", number]).status != 0)
        #expect(try AmanaBinary.run(["audit", "verify", "--data", data]).status == 0)
    }
}
