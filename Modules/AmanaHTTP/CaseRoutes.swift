import Hummingbird
import Kernel

/// The case file's first routes: open, read, search by identifying value.
/// Searches are POSTs so that names and phone numbers never appear in URLs
/// (and so never in proxy or access logs).
struct CaseRoutes {
    let kernel: Kernel

    struct OpenCaseRequest: Decodable {
        struct Field: Decodable {
            var id: String
            var value: String
            var identifying: Bool?
        }
        var caseType: String
        var fields: [Field]
    }

    struct SearchRequest: Decodable {
        var field: String
        var value: String
    }

    struct SearchResponse: Encodable {
        var cases: [CaseSummary]
    }

    func register(on group: RouterGroup<AmanaRequestContext>) {
        group.post("/cases") { request, context in
            let body = try await JSONBody.decode(OpenCaseRequest.self, from: request, limit: kernel.config.maxBodyBytes)
            let view = try await kernel.openCase(
                type: body.caseType, fields: body.fields.map { CaseFieldInput(id: $0.id, value: $0.value, identifying: $0.identifying ?? false) },
                actor: try context.requireActor(), requestID: context.requestID)
            var response = try JSONBody.response(view, status: .created)
            response.headers[.eTag] = "\"\(view.version)\""
            return response
        }
        group.get("/cases/{id}") { _, context in
            let view = try await kernel.readCase(id: try context.parameters.require("id"), actor: try context.requireActor(), requestID: context.requestID)
            var response = try JSONBody.response(view)
            response.headers[.eTag] = "\"\(view.version)\""
            return response
        }
        group.post("/cases/search") { request, context in
            let body = try await JSONBody.decode(SearchRequest.self, from: request, limit: kernel.config.maxBodyBytes)
            let hits = try await kernel.findCases(field: body.field, value: body.value, actor: try context.requireActor(), requestID: context.requestID)
            return try JSONBody.response(SearchResponse(cases: hits))
        }
    }
}
