import AmanaCore
import Foundation
import Testing
@testable import VaultSodium

@Suite("Master key file")
struct MasterKeyFileTests {
    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("amana-key-\(UUID().uuidString)").path
    }

    @Test func createsOwnerOnlyFileAndLoadsIt() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try MasterKeyFile.create(at: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let first = try MasterKeyFile.load(from: path)
        let second = try MasterKeyFile.load(from: path)
        #expect(first.count == 32)
        #expect(first.withUnsafeBytes { Array($0) } == second.withUnsafeBytes { Array($0) })
    }

    @Test func refusesToOverwrite() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try MasterKeyFile.create(at: path)
        #expect(throws: AmanaError.self) { try MasterKeyFile.create(at: path) }
    }

    @Test(arguments: [0o640, 0o604, 0o644, 0o660])
    func refusesAKeyFileOthersCanRead(mode: Int) throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try MasterKeyFile.create(at: path)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        let error = #expect(throws: AmanaError.self) { try MasterKeyFile.load(from: path) }
        #expect(error?.code == "key-file-mode")
        #expect(error?.message.contains("chmod 600") == true)
    }

    @Test func refusesGarbageAndMissingFiles() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        FileManager.default.createFile(atPath: path, contents: Data("not a key\n".utf8), attributes: [.posixPermissions: 0o600])
        #expect((#expect(throws: AmanaError.self) { try MasterKeyFile.load(from: path) })?.code == "key-file-invalid")
        #expect((#expect(throws: AmanaError.self) { try MasterKeyFile.load(from: path + "-none") })?.code == "key-file-missing")
    }
}
