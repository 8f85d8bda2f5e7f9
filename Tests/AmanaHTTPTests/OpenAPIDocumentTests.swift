import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import AmanaHTTP

@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    @Test func describesExactlyTheRoutesTheServerHas() async throws {
        let f = try await HTTPFixture()
        let routed = Set(buildRouter(kernel: f.kernel).routes.map { "\($0.method.rawValue.lowercased()) \($0.path.description)" })
        let document = OpenAPIDocument.combined
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let described = Set(paths.flatMap { path, operations in operations.keys.map { "\($0) \(path)" } })
        #expect(routed.count >= 11)
        #expect(routed == described)
    }

    @Test func everyReferenceResolves() throws {
        let text = OpenAPIDocument.json + OpenAPIDocument.parts.joined()
        let document = OpenAPIDocument.combined
        let components = try #require(document["components"] as? [String: [String: Any]])
        let references = text.matches(of: /"\$ref": "#\/components\/(\w+)\/(\w+)"/).map { (String($0.1), String($0.2)) }
        #expect(!references.isEmpty)
        for (kind, name) in references {
            #expect(components[kind]?[name] != nil, "unresolved #/components/\(kind)/\(name)")
        }
    }

    @Test func isServedAsJSON() async throws {
        let f = try await HTTPFixture()
        try await f.test { client in
            let response = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.object["paths"] != nil)
        }
    }
}
