import AmanaCore
import Foundation
import Store

/// A demo organisation for trying Amana: two agencies, teams, one account per
/// role, and a few cases. Every name is invented; no real person's data.
enum DemoInstall {
    static let accounts: [(username: String, name: String, role: String, team: String?)] = [
        ("amal", "Amal Haddad", "case_worker", "GBV team"),
        ("sara", "Sara Younis", "social_worker", "GBV team"),
        ("layla", "Layla Mansour", "case_manager", "GBV team"),
        ("omar", "Omar Khalil", "team_lead", "GBV team"),
        ("yusuf", "Yusuf Darwish", "case_worker", "Child protection team"),
        ("huda", "Huda Nasser", "case_manager", "Child protection team"),
        ("nadia", "Nadia Saleh", "specialist", nil),
        ("karim", "Karim Aziz", "programme_manager", nil),
        ("admin", "Demo Administrator", "administrator", nil),
    ]

    static func populate(_ kernel: Kernel, agency: AgencyRecord, report: inout InstallReport) async throws {
        let now = kernel.clock.now()
        for team in ["GBV team", "Child protection team"] {
            _ = try await kernel.addTeam(name: team, agencyCode: agency.code, by: .installOperator, requestID: "init-demo")
        }
        // A second agency, so that "another agency's case" can be tried.
        let partner = AgencyRecord(id: .random(), code: "PARTNER", name: "Partner Organisation (demo)", createdAt: now)
        try await kernel.store.insertAgency(partner, audit: kernel.audit("operator", "agency.create", "agency:\(partner.id.rawValue)", requestID: "init-demo"))

        for account in accounts {
            let password = demoPassword(kernel)
            _ = try await kernel.addUser(
                NewUser(username: account.username, displayName: account.name, role: account.role, agencyCode: agency.code,
                        teamName: account.team, password: password),
                by: .installOperator, requestID: "init-demo")
            report.demoAccounts.append((account.username, account.role, password))
        }
        let partnerPassword = demoPassword(kernel)
        _ = try await kernel.addUser(
            NewUser(username: "rania", displayName: "Rania Toma", role: "case_worker", agencyCode: partner.code, password: partnerPassword),
            by: .installOperator, requestID: "init-demo")
        report.demoAccounts.append(("rania", "case_worker (PARTNER)", partnerPassword))

        if let admin = try await DemoCases.demoActor(kernel, "admin") {
            _ = try await kernel.importServices(csv: DemoServices.csv(agencyCode: agency.code), actor: admin, requestID: "init-demo")
        }
        try await DemoCases.populate(kernel, report: &report)
    }

    /// Four groups of four from an alphabet without look-alike characters.
    static func demoPassword(_ kernel: Kernel) -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
        let bytes = kernel.vault.randomBytes(16)
        let characters = bytes.map { alphabet[Int($0) % alphabet.count] }
        return stride(from: 0, to: 16, by: 4).map { String(characters[$0..<$0 + 4]) }.joined(separator: "-")
    }
}
