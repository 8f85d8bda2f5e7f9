import Foundation
import GRDB
import Kernel

/// What reads or rewrites the whole install: anonymous statistics (every case in the
/// agency, each decrypted), the compaction a purge ends with (VACUUM), and a backup.
/// Each against the raw SQLite work of the same shape on the same file.
enum WholeInstallBenchmarks {
    static func run(_ kernel: Kernel, layout: InstallLayout) async throws {
        let raw = try DatabaseQueue(path: layout.database)
        defer { try? raw.close() }

        _ = try await kernel.addUser(NewUser(username: "programme", role: "programme_manager", password: CaseBenchmarks.password), by: .installOperator, requestID: "bench")
        let manager = try await kernel.signIn(username: "programme", password: CaseBenchmarks.password, requestID: "bench").actor
        let rawRead = try await Harness.measureAsync("raw SQLite: every registration's ciphertext", iterations: 3) {
            try await raw.read { db in
                let cursor = try Row.fetchCursor(db, sql: "SELECT s.case_id, s.ciphertext FROM case_submission s JOIN case_file c ON c.id = s.case_id WHERE s.form_id = 'core/registration'")
                while try cursor.next() != nil {}
            }
        }
        Harness.report(try await Harness.measureAsync("statistics: registrations by sex (all cases)", iterations: 3) {
            // The benchmark's cases have no consent to reporting: every case is read and decrypted,
            // then none counts and the table is refused as too small. The reading is what is measured.
            _ = try? await kernel.statistics(StatisticsRequest(form: "core/registration", rows: "sex"), actor: manager, requestID: "bench")
        }, against: rawRead)

        let rawVacuum = try await Harness.measureAsync("raw SQLite: VACUUM", iterations: 1) {
            try await raw.writeWithoutTransaction { db in try db.execute(sql: "VACUUM") }
        }
        Harness.report(try await Harness.measureAsync("compaction after a purge (VACUUM + WAL)", iterations: 1) {
            try await kernel.compactStore(requestID: "bench")
        }, against: rawVacuum)

        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("amana-bench-backup-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var n = 0
        let rawBackup = try await Harness.measureAsync("raw SQLite: online backup to a file", iterations: 1) {
            n += 1
            let copy = try DatabaseQueue(path: "\(scratch)/raw-\(n).sqlite")
            try raw.backup(to: copy)
            try copy.close()
            try FileManager.default.removeItem(atPath: "\(scratch)/raw-\(n).sqlite")
        }
        Harness.report(try await Harness.measureAsync("backup, encrypted (amana backup)", iterations: 1) {
            n += 1
            _ = try await kernel.backup(to: "\(scratch)/amana-\(n).amana", passphrase: nil, requestID: "bench")
            try FileManager.default.removeItem(atPath: "\(scratch)/amana-\(n).amana")
        }, against: rawBackup)
    }
}
