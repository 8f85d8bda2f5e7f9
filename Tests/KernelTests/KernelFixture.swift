import AmanaCore
import AmanaTestSupport
import Foundation
import GRDB
import Identity
import FormKit
import Store
@testable import Kernel

/// A real install in a temporary directory: real SQLite, real libsodium,
/// Argon2id at its minimum cost, and a clock the test moves.
struct KernelFixture {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    let layout: InstallLayout
    let clock = ManualClock()
    let kernel: Kernel
    let agency: AgencyRecord
    let partner: AgencyRecord
    let gbvTeam: TeamRecord
    let cpTeam: TeamRecord
    static let password = "a long enough password"

    /// - Parameter installPlugins: files to write into the install's own `plugins/` (path: text) before it opens.
    init(installPlugins: [String: String] = [:]) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("amana-kernel-\(UUID().uuidString)").path
        layout = InstallLayout(directory: directory)
        _ = try await Kernel.initialize(layout, agencyCode: "ACME", agencyName: "ACME", shippedDirectory: Self.repositoryRoot, fastPasswordHashing: true, store: try await TestStore.fresh())
        for (path, text) in installPlugins {
            let file = URL(fileURLWithPath: layout.pluginsDirectory).appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        kernel = try Kernel.open(layout, shippedDirectory: Self.repositoryRoot, clock: clock, fastPasswordHashing: true)
        agency = try await kernel.store.agencies()[0]
        partner = AgencyRecord(id: .random(), code: "PARTNER", name: "Partner", createdAt: clock.now())
        try await kernel.store.insertAgency(partner, audit: kernel.audit("operator", "agency.create", "agency", requestID: "t"))
        gbvTeam = TeamRecord(id: .random(), agencyID: agency.id, name: "GBV team")
        cpTeam = TeamRecord(id: .random(), agencyID: agency.id, name: "CP team")
        for team in [gbvTeam, cpTeam] {
            try await kernel.store.insertTeam(team, audit: kernel.audit("operator", "team.create", "team", requestID: "t"))
        }
    }

    @discardableResult
    func addUser(_ username: String, _ role: String, team: String? = "GBV team", agency: String = "ACME") async throws -> UserSummary {
        try await kernel.addUser(
            NewUser(username: username, role: role, agencyCode: agency, teamName: agency == "ACME" ? team : nil, password: Self.password),
            by: .installOperator, requestID: "t")
    }

    func signIn(_ username: String) async throws -> (token: String, actor: Actor) {
        let signIn = try await kernel.signIn(username: username, password: Self.password, requestID: "t")
        return (signIn.token, signIn.actor)
    }

    /// Today as the forms see it (the manual clock's date).
    var day: String { Day(clock.now()).description }

    /// A GBV case opened by `owner` with consent and registration filled in; returns its id.
    func caseWithRegistration(owner: String, givenName: String, familyName: String, phone: String? = nil) async throws -> String {
        let actor = try await signIn(owner).actor
        let opened = try await kernel.openCase(type: "gbv", actor: actor, requestID: "t")
        let id = opened.summary.id
        _ = try await kernel.submitForm(caseID: id, formID: "core/consent", values: DemoAnswers.consent(day: day), expectVersion: nil, actor: actor, requestID: "t")
        _ = try await kernel.submitForm(
            caseID: id, formID: "core/registration", values: DemoAnswers.registration(day: day, givenName: givenName, familyName: familyName, phone: phone),
            expectVersion: nil, actor: actor, requestID: "t")
        return id
    }

    /// Changes the database behind the kernel's back, as an attacker with the database could:
    /// `sql`, with `?` or `?1` for `arguments`, through GRDB on the SQLite file or psql on PostgreSQL
    /// (both stores have the same tables and columns).
    func tamper(_ sql: String, _ arguments: [String]) async throws {
        if TestStore.onPostgres {
            guard try InstallDatabase.execute(InstallDatabase.inlining(arguments, in: sql), ofInstall: layout.directory) == 0 else {
                throw AmanaError.invalid("tamper", "psql refused: \(sql)")
            }
        } else {
            let queue = try DatabaseQueue(path: layout.database)
            try await queue.write { try $0.execute(sql: sql, arguments: StatementArguments(arguments)) }
            try queue.close()
        }
    }

    /// Registers a case that has its consent and registration; returns the case's version.
    func register(_ id: String, by actor: Actor) async throws -> Int {
        let version = try await kernel.caseDetail(id: id, actor: actor, requestID: "t").summary.version
        return try await kernel.performTransition(caseID: id, transition: "register", expectVersion: version, actor: actor, requestID: "t").summary.version
    }

    /// The audit entries whose action is `action`.
    func auditEntries(_ action: String) async throws -> [AuditEntry] {
        try await kernel.store.auditEntries(after: 0, limit: 10_000).filter { $0.draft.action == action }
    }

    /// A 14-year-old's child-protection case with his assent, his mother's consent
    /// and his registration; `perpetrator`: his mother is the alleged perpetrator.
    func childCase(perpetrator: Bool) async throws -> (String, Actor) {
        try await addUser("yusuf", "case_worker")
        let yusuf = try await signIn("yusuf").actor
        let id = try await kernel.openCase(type: "child-protection", actor: yusuf, requestID: "t").summary.id
        var registration = DemoAnswers.childRegistration(caregiver: "Mother of Sami")
        if perpetrator {
            registration["caregiver_is_alleged_perpetrator"] = true
            registration["caregiver_safe_to_involve"] = false
            registration["caregiver_not_safe_reason"] = "He says his mother hurts him when he does not bring money home."
        }
        for (form, values) in [
            ("core/registration", DemoAnswers.registration(day: day, givenName: "Sami", familyName: "Example", sex: "male", age: 14)),
            ("core/consent", DemoAnswers.childAgreement(day: day)),
            ("core/consent", DemoAnswers.childAgreement(day: day, caregiver: "Mother of Sami")),
            ("child-protection/child-registration", registration),
        ] {
            _ = try await kernel.submitForm(caseID: id, formID: form, values: values, expectVersion: nil, actor: yusuf, requestID: "t")
        }
        return (id, yusuf)
    }
}
