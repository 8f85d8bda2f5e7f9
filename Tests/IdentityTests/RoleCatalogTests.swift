import AmanaCore
import Foundation
import Testing
import YAMLSupport
@testable import Identity

@Suite("Roles as data")
struct RoleCatalogTests {
    static let shippedRoles = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("FormDefinitions/core/roles.yaml").path

    @Test func theShippedRolesLoadWithEveryRoleTheFieldUses() throws {
        let catalog = try RoleCatalog.load(path: Self.shippedRoles)
        #expect(Set(catalog.roleIDs) == ["social_worker", "case_worker", "case_manager", "team_lead", "specialist", "programme_manager", "administrator"])
        for role in catalog.roles.values {
            #expect(role.label["en"] != nil && role.label["ar"] != nil, "role \(role.id) needs English and Arabic labels")
        }
    }

    @Test func administratorsAndProgrammeManagersHaveNoCaseContent() throws {
        let catalog = try RoleCatalog.load(path: Self.shippedRoles)
        for id in ["administrator", "programme_manager"] {
            #expect(catalog.role(id)?.scope(for: "case", "read") == nil)
        }
        #expect(catalog.role("administrator")?.scope(for: "user", "create") == .agency)
        #expect(catalog.role("case_worker")?.scope(for: "user", "create") == nil)
    }

    /// A role given the same action twice, in any order, holds the wider scope.
    @Test func theWidestScopeOfAnActionCounts() {
        let grants = [
            Permission(resource: "case", actions: ["read"], scope: .own), Permission(resource: "case", actions: ["read", "update"], scope: .team),
            Permission(resource: "report", actions: ["read"], scope: .all), Permission(resource: "case", actions: ["update"], scope: .own),
        ]
        for order in [grants, grants.reversed()] {
            let role = Role(id: "r", label: [:], permissions: order)
            #expect(role.scope(for: "case", "read") == .team)
            #expect(role.scope(for: "case", "update") == .team)
            #expect(role.scope(for: "report", "read") == .all)
            #expect(role.scope(for: "case", "delete") == nil)
            #expect(role.scope(for: "user", "read") == nil)
        }
    }

    @Test func mistakesAreReportedWithTheirPosition() throws {
        let yaml = """
            roles:
              - id: case_worker
                label: {en: Case worker}
                permisions: []
              - id: supervisor
                label: {en: Supervisor}
                permissions:
                  - {resource: cases, actions: [read], scope: team}
                  - {resource: case, actions: [raed], scope: everywhere}
            """
        let error = #expect(throws: AmanaError.self) { try RoleCatalog.parse(YAMLDocument.parse(yaml, file: "roles.yaml")) }
        let text = error?.message ?? ""
        #expect(text.contains("roles.yaml:4:5: error[YAML012]: unknown key 'permisions' in a role; did you mean 'permissions'?"))
        #expect(text.contains("roles.yaml:8:20: error[ID004]: unknown resource 'cases'; did you mean 'case'?"))
        #expect(text.contains("roles.yaml:9:36: error[ID005]: unknown action 'raed'"))
        #expect(text.contains("roles.yaml:9:50: error[ID006]: unknown scope 'everywhere'"))
    }

    @Test func malformedYAMLNamesLineAndColumn() {
        let error = #expect(throws: AmanaError.self) { try YAMLDocument.parse("roles:\n  - id: [unclosed\n", file: "roles.yaml") }
        #expect(error?.message.hasPrefix("roles.yaml:3:") == true)
        #expect(error?.message.contains("error[YAML005]") == true)
    }
}

@Suite("Need-to-know scopes")
struct ScopeTests {
    let agency = AgencyID.random(), otherAgency = AgencyID.random()
    let team = TeamID.random(), otherTeam = TeamID.random()

    func actor(_ permissions: [Permission], team: TeamID?) -> Actor {
        Actor(userID: .random(), username: "u", displayName: "U", role: Role(id: "r", label: [:], permissions: permissions),
              agencyID: agency, teamID: team, language: "en")
    }

    @Test func ownScopeCoversOwnedAndAssignedCasesOnly() {
        let worker = actor([Permission(resource: "case", actions: ["read"], scope: .own)], team: team)
        #expect(worker.may("read", "case", on: Holding(ownerID: worker.userID, teamID: team, agencyID: agency)))
        #expect(worker.may("read", "case", on: Holding(ownerID: .random(), assignedIDs: [worker.userID], teamID: otherTeam, agencyID: agency)))
        #expect(!worker.may("read", "case", on: Holding(ownerID: .random(), teamID: team, agencyID: agency)))
        #expect(!worker.may("update", "case", on: Holding(ownerID: worker.userID, teamID: team, agencyID: agency)))
    }

    @Test func teamScopeStopsAtTheTeamAndTheAgency() {
        let supervisor = actor([Permission(resource: "case", actions: ["read"], scope: .team)], team: team)
        #expect(supervisor.may("read", "case", on: Holding(ownerID: .random(), teamID: team, agencyID: agency)))
        #expect(!supervisor.may("read", "case", on: Holding(ownerID: .random(), teamID: otherTeam, agencyID: agency)))
        #expect(!supervisor.may("read", "case", on: Holding(ownerID: .random(), teamID: team, agencyID: otherAgency)))
        let teamless = actor([Permission(resource: "case", actions: ["read"], scope: .team)], team: nil)
        #expect(!teamless.may("read", "case", on: Holding(ownerID: .random(), teamID: nil, agencyID: agency)))
    }

    @Test func assignedScopeIgnoresOwnershipAndTeam() {
        let specialist = actor([Permission(resource: "case", actions: ["read"], scope: .assigned)], team: team)
        #expect(!specialist.may("read", "case", on: Holding(ownerID: specialist.userID, teamID: team, agencyID: agency)))
        #expect(specialist.may("read", "case", on: Holding(ownerID: .random(), assignedIDs: [specialist.userID], teamID: otherTeam, agencyID: agency)))
    }

    @Test func agencyScopeNeverCrossesAgencies() {
        let admin = actor([Permission(resource: "user", actions: ["create"], scope: .agency)], team: nil)
        #expect(admin.may("create", "user", on: Holding(ownerID: nil, teamID: nil, agencyID: agency)))
        #expect(!admin.may("create", "user", on: Holding(ownerID: nil, teamID: nil, agencyID: otherAgency)))
    }
}

@Suite("Roles extended by plugins")
struct RoleExtensionTests {
    @Test func aPluginAddsARoleAndGrantsMoreToAnExistingOne() throws {
        let kernel = try RoleCatalog.load(path: RoleCatalogTests.shippedRoles)
        let plugin = try RoleCatalog.parse(YAMLDocument.parse("""
            roles:
              - id: community_case_worker
                label: {en: Community case worker, ar: عامل حالة مجتمعي}
                permissions:
                  - {resource: case, actions: [create, read], scope: own}
              - id: case_manager
                label: {en: Ignored, ar: تجاهل}
                permissions:
                  - {resource: report, actions: [read], scope: team}
            """, file: "plugin-roles.yaml"))
        let merged = kernel.extended(with: plugin)
        #expect(merged.role("community_case_worker")?.scope(for: "case", "read") == .own)
        #expect(merged.role("case_manager")?.scope(for: "report", "read") == .team)
        #expect(merged.role("case_manager")?.scope(for: "case", "read") == .team)
        #expect(merged.role("case_manager")?.label["en"] == "Case manager (supervisor)")
        #expect(merged.role("administrator")?.scope(for: "case", "read") == nil)
    }

    /// Who supervises whom is data: a plugin's role may be supervised, or supervise more; a
    /// role no file defines is named with its position once every file is read.
    @Test func supervisesNamesRolesThatExistOnceEveryFileIsRead() throws {
        let kernel = try RoleCatalog.load(path: RoleCatalogTests.shippedRoles)
        #expect(kernel.role("case_manager")?.supervises == ["social_worker", "case_worker", "specialist"])
        #expect(kernel.role("team_lead")?.supervises.contains("case_manager") == true)
        #expect(kernel.role("case_worker")?.supervises.isEmpty == true && kernel.unknownSupervisedRoles().isEmpty)
        let plugin = try RoleCatalog.parse(YAMLDocument.parse("""
            roles:
              - id: case_manager
                label: {en: Case manager}
                permissions: []
                supervises: [community_volunteer, outreach_worker]
              - id: outreach_worker
                label: {en: Outreach worker}
                permissions:
                  - {resource: case, actions: [create, read], scope: own}
            """, file: "plugin-roles.yaml"))
        let merged = kernel.extended(with: plugin)
        #expect(merged.role("case_manager")?.supervises.isSuperset(of: ["case_worker", "outreach_worker"]) == true)
        #expect(merged.unknownSupervisedRoles().map { "\($0.file):\($0.line):\($0.column) \($0.code)" } == ["plugin-roles.yaml:5:18 ID007"])
    }
}
