import AmanaCore
import AmanaTestSupport
import Foundation
import Kernel
import Testing

/// An organisation's plugin adds a role (the Iraq forum's community case
/// worker); its workflow may then name it. A broken roles file stops the
/// install from opening instead of guessing permissions.
@Suite("Roles added by plugins")
struct PluginRolesTests {
    func install(roles: String) async throws -> InstallLayout {
        let layout = InstallLayout(directory: FileManager.default.temporaryDirectory.appendingPathComponent("amana-roles-\(UUID().uuidString)").path)
        _ = try await Kernel.initialize(layout, agencyCode: "ACME", shippedDirectory: KernelFixture.repositoryRoot, fastPasswordHashing: true, store: try await TestStore.fresh())
        let plugin = layout.pluginsDirectory + "/acme"
        try FileManager.default.createDirectory(atPath: plugin, withIntermediateDirectories: true)
        try "id: acme\nversion: 1.0.0\nkernel: \">=1.0\"\ntitle: {en: ACME, ar: أكمي}\n".write(toFile: plugin + "/plugin.yaml", atomically: true, encoding: .utf8)
        try roles.write(toFile: plugin + "/roles.yaml", atomically: true, encoding: .utf8)
        return layout
    }

    @Test func aPluginAddsARoleAndGrantsMoreToAnExistingOne() async throws {
        let layout = try await install(roles: """
            roles:
              - id: community_case_worker
                label: {en: Community case worker, ar: عامل حالات مجتمعي}
                permissions:
                  - {resource: case, actions: [create, read], scope: own}
              - id: team_lead
                label: {en: Team lead, ar: قائد الفريق}
                permissions:
                  - {resource: audit, actions: [read], scope: agency}
            """)
        let kernel = try Kernel.open(layout, shippedDirectory: KernelFixture.repositoryRoot, fastPasswordHashing: true)
        #expect(kernel.roles.role("community_case_worker") != nil)
        #expect(kernel.roles.role("team_lead")?.permissions.contains { $0.resource == "audit" } == true)
        #expect(kernel.roles.role("team_lead")?.permissions.contains { $0.resource == "case" } == true)
        _ = try await kernel.addUser(NewUser(username: "nour", role: "community_case_worker", password: KernelFixture.password), by: .installOperator, requestID: "t")
    }

    @Test func aBrokenRolesFileStopsTheInstallWithItsPosition() async throws {
        let layout = try await install(roles: "roles:\n  - id: x\n    label: {en: X}\n    permissions:\n      - {resource: case, actions: [delete], scope: own}\n")
        #expect {
            _ = try Kernel.open(layout, shippedDirectory: KernelFixture.repositoryRoot, fastPasswordHashing: true)
        } throws: { error in
            (error as? AmanaError)?.diagnostics.contains { $0.file.hasSuffix("acme/roles.yaml") && $0.line == 5 } == true
        }
    }
}
