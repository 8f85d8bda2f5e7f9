import AmanaCore
import Foundation
import Testing
import Yams
@testable import YAMLSupport

/// A file parsed twice is not parsed again while its bytes stay the same; what is on disk
/// always decides.
@Suite("YAML files not parsed again")
struct ParsedFilesTests {
    func scratchFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("parsed-\(UUID().uuidString).yaml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func name(in path: String) throws -> String? {
        try YAMLDocument.load(path: path).root["name"]?.string
    }

    @Test func aFileRewrittenWithTheSameLengthIsReadAnew() throws {
        let path = try scratchFile("name: Mona\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        for _ in 0..<3 { #expect(try name(in: path) == "Mona") }
        try Data("name: Nada\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try name(in: path) == "Nada")
    }

    @Test func aChangeOfUnicodeNormalisationIsAChange() throws {
        // "é" as one scalar, then as "e" and a combining accent: equal as Swift strings, not as bytes.
        let path = try scratchFile("name: Zoé\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        for _ in 0..<2 { #expect(try name(in: path)?.unicodeScalars.count == 3) }
        try Data("name: Zoe\u{301}\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try name(in: path)?.unicodeScalars.count == 4)
    }

    /// The tag a node holds, read without resolving it (`Node.tag` would resolve it).
    func storedTag(_ node: Node?) -> String? {
        switch node {
        case .scalar(let scalar)?: scalar.tag.description
        case .mapping(let mapping)?: mapping.tag.description
        case .sequence(let sequence)?: sequence.tag.description
        default: nil
        }
    }

    @Test func aKeptTreeHasEveryTagResolvedBeforeItIsShared() throws {
        let text = "name: Mona\nage: 12\nkeys: [a, b]\n"
        // Freshly parsed, a tag is resolved only when first read, and written then.
        #expect(storedTag(try YAMLDocument.parse(text, file: "t.yaml").root["age"]) != Tag.Name.int.rawValue)
        let path = try scratchFile(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        // Parsed once (as a server parses its definitions): nothing is kept. Twice: kept.
        _ = try YAMLDocument.load(path: path)
        #expect(ParsedFiles.root(of: path, allowEmpty: false, bytes: bytes) == nil)
        _ = try YAMLDocument.load(path: path)
        let kept = try #require(ParsedFiles.root(of: path, allowEmpty: false, bytes: bytes))
        #expect(storedTag(kept["age"]) == Tag.Name.int.rawValue)
        #expect(storedTag(kept["keys"]) == Tag.Name.seq.rawValue)
        #expect(storedTag(kept["keys"]?[0]) == Tag.Name.str.rawValue)
        #expect(storedTag(kept) == Tag.Name.map.rawValue)
    }

    @Test func aTreeOfManyAliasesIsReadButNotKept() throws {
        // 10 × 10 × 10 × 10 × 10 × 3 = 300,000 nodes once the aliases are followed.
        var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for (name, previous) in [("b", "a"), ("c", "b"), ("d", "c"), ("e", "d")] {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
        }
        text += "f: [*e, *e, *e]\n"
        let path = try scratchFile(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        for _ in 0..<2 {
            #expect(try YAMLDocument.load(path: path).root["f"]?.sequence?.count == 3)
        }
        #expect(ParsedFiles.root(of: path, allowEmpty: false, bytes: try Data(contentsOf: URL(fileURLWithPath: path))) == nil)
    }

    @Test func aMalformedFileIsReportedEveryTime() throws {
        let path = try scratchFile("name: [Mona\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        for _ in 0..<2 {
            #expect(throws: AmanaError.self) { try YAMLDocument.load(path: path) }
        }
    }
}
