import AmanaTestSupport
import AmanaCore
import Foundation
import Kernel
import Synchronization
import Testing

/// What was acknowledged (a 2xx came back) must be there after any crash.
@Suite("End to end: crash safety", .serialized)
struct CrashSafetyEndToEndTests {
    /// Notes acknowledged by the server: case id -> entry numbers.
    final class Acknowledged: Sendable {
        let notes = Mutex<[String: Set<Int>]>([:])
        let failures = Mutex<[Int: Int]>([:])
        func add(_ caseID: String, _ entry: Int) { notes.withLock { _ = $0[caseID, default: []].insert(entry) } }
        func failed(_ status: Int) { failures.withLock { $0[status, default: 0] += 1 } }
        var count: Int { notes.withLock { $0.values.reduce(0) { $0 + $1.count } } }
    }

    final class Flag: Sendable {
        private let value = Mutex(false)
        func set() { value.withLock { $0 = true } }
        var isSet: Bool { value.withLock { $0 } }
    }

    static let note = String(decoding: JSONValue.object(DemoAnswers.caseNote(at: "2026-11-20T08:00:00Z", note: "Phone call.")).encoded(), as: UTF8.self)

    /// A demo install whose request limits let a load through.
    static func install(at data: String) throws -> [String: String] {
        let made = try AmanaBinary.run(["init", "--data", data, "--demo"])
        #expect(made.status == 0, "\(made.stderr)")
        try TestStore.writeConfig("http:\n  requests_per_minute_per_user: 10000000\n  requests_per_minute_per_address: 10000000\n", to: data + "/config.yaml")
        return demoPasswords(made.stdout)
    }

    /// One writer: opens a case, then adds notes to it until the server stops answering.
    static func write(_ server: RunningServer, token: String, acknowledged: Acknowledged, stop: Flag) async {
        guard let opened = try? await server.request("POST", "/api/v1/cases", token: token, body: #"{"case_type":"gbv"}"#), opened.status == 201,
              let id = (opened.json["summary"] as? [String: Any])?["id"] as? String else { return }
        while !stop.isSet {
            guard let reply = try? await server.request("POST", "/api/v1/cases/\(id)/notes", token: token, body: note) else { return }
            if reply.status == 201, let entry = reply.json["entry"] as? Int {
                acknowledged.add(id, entry)
            } else {
                acknowledged.failed(reply.status)
            }
        }
    }

    /// Every acknowledged note is in its case (more may be: a write can land just before its answer is lost).
    static func expectEverythingAcknowledgedIsThere(_ server: RunningServer, token: String, _ acknowledged: Acknowledged) async throws {
        for (caseID, entries) in acknowledged.notes.withLock({ $0 }) {
            let detail = try await server.request("GET", "/api/v1/cases/\(caseID)", token: token)
            #expect(detail.status == 200, "case \(caseID)")
            let forms = detail.json["forms"] as? [[String: Any]] ?? []
            let stored = Set(forms.filter { $0["form_id"] as? String == "core/case-note" }.compactMap { $0["entry"] as? Int })
            #expect(entries.isSubset(of: stored), "case \(caseID): acknowledged \(entries.sorted()), stored \(stored.sorted())")
        }
    }

    static func expectSound(_ data: String) throws {
        let check = try AmanaBinary.run(["db", "check", "--data", data])
        #expect(check.status == 0 && check.stdout.contains("integrity: OK") && check.stdout.contains("audit chain: OK"), "\(check.stdout) \(check.stderr)")
    }

    @Test func killedDuringConcurrentWritesNothingAcknowledgedIsLost() async throws {
        let data = temporaryDataDirectory()
        let passwords = try Self.install(at: data)
        let kills = ProcessInfo.processInfo.environment["AMANA_CRASH_KILLS"].flatMap(Int.init) ?? 8
        let acknowledged = Acknowledged()
        var token = ""
        for round in 1...kills {
            let server = try RunningServer(data: data)
            if round == 1 { token = try #require(try await server.signIn("amal", passwords["amal"] ?? "").json["token"] as? String) }
            let stop = Flag()
            let signedIn = token
            let before = acknowledged.count
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<4 { group.addTask { await Self.write(server, token: signedIn, acknowledged: acknowledged, stop: stop) } }
                // Once writes go through (a loaded machine may take a while to get there), killed
                // at a different moment each round, mid-write.
                for _ in 0..<600 where acknowledged.count == before { try? await Task.sleep(for: .milliseconds(100)) }
                try? await Task.sleep(for: .milliseconds(300 + (round * 277) % 900))
                server.kill()
                stop.set()
            }
        }
        let server = try RunningServer(data: data)
        try await Self.expectEverythingAcknowledgedIsThere(server, token: token, acknowledged)
        server.stop()
        try Self.expectSound(data)
        #expect(acknowledged.count > kills, "writes went through in every round")
        #expect(acknowledged.failures.withLock { $0.keys.allSatisfy { $0 < 500 } }, "\(acknowledged.failures.withLock { $0 })")
        print("figure: crash safety: \(kills) SIGKILLs during 4 concurrent writers survived; \(acknowledged.count) acknowledged writes, all present; integrity and audit chain OK")
    }

    @Test(.enabled(if: !TestStore.onPostgres, "fills the disk under amana.sqlite; a PostgreSQL server's disk is its own"))
    func aFullDiskRefusesWritesWith507AndLosesNothingAcknowledged() async throws {
        // A small tmpfs of its own: the install fills it; nothing else on the machine does.
        let mountPoint = FileManager.default.temporaryDirectory.appendingPathComponent("amana-full-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let mounted = try Self.command("/bin/mount", ["-t", "tmpfs", "-o", "size=64m,mode=0700", "tmpfs", mountPoint])
        try #require(mounted == 0, "this test mounts a small tmpfs (root, as on CI machines)")
        defer { _ = try? Self.command("/bin/umount", ["-l", mountPoint]) }
        let data = mountPoint + "/data"
        let passwords = try Self.install(at: data)
        let server = try RunningServer(data: data)
        let token = try #require(try await server.signIn("amal", passwords["amal"] ?? "").json["token"] as? String)
        // Then shrink it to what the install uses and 2 MiB more.
        let attributes = try FileManager.default.attributesOfFileSystem(forPath: mountPoint)
        let used = ((attributes[.systemSize] as? Int) ?? 0) - ((attributes[.systemFreeSize] as? Int) ?? 0)
        #expect(try Self.command("/bin/mount", ["-o", "remount,size=\((used >> 10) + 2048)k", mountPoint]) == 0)
        let acknowledged = Acknowledged()
        let stop = Flag()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<2 { group.addTask { await Self.write(server, token: token, acknowledged: acknowledged, stop: stop) } }
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline, acknowledged.failures.withLock({ $0.values.reduce(0, +) }) < 20 {
                try? await Task.sleep(for: .milliseconds(50))
            }
            stop.set()
        }
        let failures = acknowledged.failures.withLock { $0 }
        #expect(failures[507, default: 0] > 0, "\(failures)")
        #expect(failures.keys.allSatisfy { $0 == 507 || $0 == 503 }, "\(failures)")
        server.kill()

        // Room again: the server starts, everything acknowledged is there, the file is sound.
        #expect(try Self.command("/bin/mount", ["-o", "remount,size=64m", mountPoint]) == 0)
        let again = try RunningServer(data: data)
        try await Self.expectEverythingAcknowledgedIsThere(again, token: token, acknowledged)
        again.stop()
        try Self.expectSound(data)
        print("figure: disk full: \(acknowledged.count) writes acknowledged before the disk filled, all present; refused meanwhile: \(failures.sorted { $0.key < $1.key }.map { "\($0.value)x \($0.key)" }.joined(separator: ", "))")
    }

    @Test func theMasterKeyIsRotatedWhileTheServerTakesWrites() async throws {
        let data = temporaryDataDirectory()
        let passwords = try Self.install(at: data)
        let server = try RunningServer(data: data)
        defer { server.stop() }
        let token = try #require(try await server.signIn("amal", passwords["amal"] ?? "").json["token"] as? String)
        let acknowledged = Acknowledged()
        let stop = Flag()
        let rotation = try await withThrowingTaskGroup(of: AmanaBinary.Result?.self) { group in
            for _ in 0..<2 { group.addTask { await Self.write(server, token: token, acknowledged: acknowledged, stop: stop); return nil } }
            group.addTask {
                try await Task.sleep(for: .milliseconds(300))
                defer { stop.set() }
                return try AmanaBinary.run(["keys", "rotate", "--data", data])
            }
            var result: AmanaBinary.Result?
            for try await value in group { if let value { result = value } }
            return result
        }
        let rotated = try #require(rotation)
        #expect(rotated.status == 0, "\(rotated.stderr)")
        #expect(rotated.stdout.contains("rotation to master key version 2"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: data + "/keys").filter { $0.hasPrefix("master") } == ["master.v2.key"])
        #expect(acknowledged.failures.withLock { $0.isEmpty }, "\(acknowledged.failures.withLock { $0 })")
        // The server, started under version 1, reads and writes under version 2 without a restart.
        try await Self.expectEverythingAcknowledgedIsThere(server, token: token, acknowledged)
        let opened = try await server.request("POST", "/api/v1/cases", token: token, body: #"{"case_type":"gbv"}"#)
        #expect(opened.status == 201)
        server.stop()
        try Self.expectSound(data)
        print("figure: key rotation: master key replaced while 2 writers wrote \(acknowledged.count) notes through the server, none refused, all readable after")
    }

    static func command(_ path: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
