import AmanaTestSupport
import Foundation
import GRDB
import Testing

@Suite("End to end: the install at the console")
struct OperatorEndToEndTests {
    @Test func initTwiceRefusesAndChangesNothing() throws {
        let data = temporaryDataDirectory()
        #expect(try AmanaBinary.run(["init", "--data", data]).status == 0)
        let key = try Data(contentsOf: URL(fileURLWithPath: data + "/keys/master.key"))
        let again = try AmanaBinary.run(["init", "--data", data, "--demo"])
        #expect(again.status == 4)
        #expect(again.stderr.contains("already exists"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: data + "/keys/master.key")) == key)
    }

    @Test func aMissingInstallAndALooseKeyFileAreClearErrors() throws {
        let data = temporaryDataDirectory()
        let missing = try AmanaBinary.run(["serve", "--data", data, "--port", "0"])
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("amana init"))
        #expect(try AmanaBinary.run(["init", "--data", data]).status == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: data + "/keys/master.key")
        let loose = try AmanaBinary.run(["serve", "--data", data, "--port", "0"])
        #expect(loose.status == 3)
        #expect(loose.stderr.contains("chmod 600"))
    }

    @Test func anOperatorMakesReportDigestsAheadOfAReport() throws {
        let data = temporaryDataDirectory()
        #expect(try AmanaBinary.run(["init", "--data", data, "--demo"]).status == 0)
        let first = try AmanaBinary.run(["db", "digests", "--data", data])
        #expect(first.status == 0 && first.stdout.range(of: #"Report digests made: [1-9]\d*\."#, options: .regularExpression) != nil, "\(first.stdout)")
        let again = try AmanaBinary.run(["db", "digests", "--data", data])
        #expect(again.status == 0 && again.stdout.contains("Report digests made: 0."), "\(again.stdout)")
    }

    @Test func anEditedAuditRowIsNamedByAuditVerify() throws {
        let data = temporaryDataDirectory()
        #expect(try AmanaBinary.run(["init", "--data", data, "--demo"]).status == 0)
        // Compacting leaves the chain whole (and is itself audited).
        let vacuum = try AmanaBinary.run(["db", "vacuum", "--data", data])
        #expect(vacuum.status == 0 && vacuum.stdout.contains("Compacted."))
        let before = try AmanaBinary.run(["audit", "verify", "--data", data])
        #expect(before.status == 0)
        #expect(before.stdout.range(of: #"OK \(\d+ entries\)"#, options: .regularExpression) != nil)
        let edit = "UPDATE audit_log SET actor = 'user:nobody' WHERE seq = 7"
        if TestStore.onPostgres {
            #expect(try InstallDatabase.execute(edit, ofInstall: data) == 0)
        } else {
            let queue = try DatabaseQueue(path: data + "/amana.sqlite")
            try queue.write { db in try db.execute(sql: edit) }
            try queue.close()
        }
        let after = try AmanaBinary.run(["audit", "verify", "--data", data])
        #expect(after.status == 1)
        #expect(after.stdout.contains("BROKEN at entry 7"))
        let check = try AmanaBinary.run(["db", "check", "--data", data])
        #expect(check.status == 1)
        #expect(check.stdout.contains("integrity: OK"))
    }

    @Test(.enabled(if: !TestStore.onPostgres, "amana backup archives the SQLite file; PostgreSQL is backed up by its own tools"))
    func aBackupRestoresIntoAWorkingInstallWithTheKeyOrThePassphrase() throws {
        let data = temporaryDataDirectory()
        let passwords = demoPasswords(try AmanaBinary.run(["init", "--data", data, "--demo"]).stdout)
        #expect(!passwords.isEmpty)
        let parent = URL(fileURLWithPath: data).deletingLastPathComponent()
        let backup = parent.appendingPathComponent("backup.amana").path
        let made = try AmanaBinary.run(["backup", "--data", data, backup])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("restoring needs keys/master.key"))
        #expect(try AmanaBinary.run(["backup", "--data", data, backup]).status != 0)

        // Under the master key: the key file is given; the restored install works.
        let restored = parent.appendingPathComponent("restored").path
        let restore = try AmanaBinary.run(["restore", "--data", restored, "--key", data + "/keys/master.key", backup])
        #expect(restore.status == 0, "\(restore.stdout) \(restore.stderr)")
        #expect(restore.stdout.contains("every key opens") && restore.stdout.contains("audit chain: OK"))
        #expect(try AmanaBinary.run(["db", "check", "--data", restored]).status == 0)
        #expect(try AmanaBinary.run(["user", "list", "--data", restored]).stdout.contains("amal"))
        // Without the key or passphrase: a usage error, nothing made.
        let bare = parent.appendingPathComponent("bare").path
        #expect(try AmanaBinary.run(["restore", "--data", bare, backup]).status == 2)
        #expect(!FileManager.default.fileExists(atPath: bare))

        // With a passphrase: the passphrase alone restores it; a wrong one is refused.
        let sealed = parent.appendingPathComponent("sealed.amana").path
        #expect(try AmanaBinary.run(["backup", "--data", data, "--passphrase-stdin", sealed], input: "a passphrase kept apart\n").status == 0)
        let wrong = try AmanaBinary.run(["restore", "--data", bare, "--passphrase-stdin", sealed], input: "not the passphrase\n")
        #expect(wrong.status == 2 && wrong.stderr.contains("does not open"), "\(wrong.stderr)")
        let again = try AmanaBinary.run(["restore", "--data", bare, "--passphrase-stdin", sealed], input: "a passphrase kept apart\n")
        #expect(again.status == 0, "\(again.stderr)")
        let login = try AmanaBinary.run(["login", "amal", "--data", bare], input: (passwords["amal"] ?? "") + "\n", sessions: parent.appendingPathComponent("state").path)
        #expect(login.status == 0, "\(login.stderr)")
    }

    @Test func passwordsAreNeverTakenFromArguments() throws {
        let data = temporaryDataDirectory()
        #expect(try AmanaBinary.run(["init", "--data", data]).status == 0)
        let noStdin = try AmanaBinary.run(["user", "add", "--data", data, "--username", "xavier", "--role", "case_worker"])
        #expect(noStdin.status != 0)
        let short = try AmanaBinary.run(["user", "add", "--data", data, "--username", "xavier", "--role", "case_worker", "--password-stdin"], input: "short\n")
        #expect(short.status == 2)
        #expect(short.stderr.contains("at least 10"))
        let role = try AmanaBinary.run(["user", "add", "--data", data, "--username", "xavier", "--role", "wizard", "--password-stdin"], input: "a long password\n")
        #expect(role.stderr.contains("Unknown role 'wizard'"))
    }
}
