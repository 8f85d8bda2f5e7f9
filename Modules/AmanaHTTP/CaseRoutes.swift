import AmanaCore
import Foundation
import HTTPTypes
import Hummingbird
import Kernel

/// The case file: cases, their forms, workflow transitions and members.
/// Searches are POSTs so that names and phone numbers never appear in URLs
/// (and so never in proxy or access logs). Writes to a case or a submission
/// name the version they read in `If-Match`; responses carry it in `ETag`.
struct CaseRoutes {
    let kernel: Kernel

    struct OpenCaseRequest: Decodable { var caseType: String }
    struct SearchRequest: Decodable {
        var value: String
        var field: String?
    }
    struct SearchResponse: Encodable { var cases: [CaseSummary] }
    struct UpdateRequest: Decodable {
        var owner: String?
        var riskLevel: String?
    }
    struct MemberRequest: Decodable { var username: String }
    struct TransitionRequest: Decodable {
        var transition: String
        var reason: String?
    }
    struct TransitionList: Encodable { var transitions: [TransitionView] }
    struct HistoryResponse: Encodable { var versions: [SubmissionVersionView] }

    func register(on group: RouterGroup<AmanaRequestContext>) {
        group.post("/cases") { request, context in
            let body = try await decode(OpenCaseRequest.self, request)
            let detail = try await kernel.openCase(type: body.caseType, actor: try context.requireActor(), requestID: context.requestID)
            return try Self.tagged(detail, version: detail.summary.version, status: .created)
        }
        group.get("/cases") { request, context in
            let query = request.uri.queryParameters
            func list(_ name: String) -> [String] { query.getAll(name).flatMap { $0.split(separator: ",").map { String($0) } } }
            var limit = 50
            if let text = query.get("limit") {
                guard let value = Int(text) else { throw AmanaError.invalid("limit", "limit is a whole number.", pointer: "/limit") }
                limit = value
            }
            let filter = CaseFilter(
                caseNumber: query.get("case_number").map { String($0) }, caseTypes: list("type"), states: list("state"), riskLevels: list("risk"),
                owner: query.get("owner").map { String($0) }, overdue: try QueryFlag.read(query, "overdue"), cursor: query.get("cursor").map { String($0) }, limit: limit)
            return try JSONBody.response(try await kernel.listCases(filter, actor: try context.requireActor(), requestID: context.requestID))
        }
        group.post("/cases/search") { request, context in
            let body = try await decode(SearchRequest.self, request)
            let hits = try await kernel.searchCases(value: body.value, field: body.field, actor: try context.requireActor(), requestID: context.requestID)
            return try JSONBody.response(SearchResponse(cases: hits))
        }
        group.get("/cases/{id}") { _, context in
            let detail = try await kernel.caseDetail(id: try context.parameters.require("id"), actor: try context.requireActor(), requestID: context.requestID)
            return try Self.tagged(detail, version: detail.summary.version)
        }
        group.patch("/cases/{id}") { request, context in
            let body = try await decode(UpdateRequest.self, request)
            let detail = try await kernel.updateCase(
                id: try context.parameters.require("id"), owner: body.owner, riskLevel: body.riskLevel, expectVersion: try Self.ifMatch(request),
                actor: try context.requireActor(), requestID: context.requestID)
            return try Self.tagged(detail, version: detail.summary.version)
        }
        group.post("/cases/{id}/members") { request, context in
            let body = try await decode(MemberRequest.self, request)
            let detail = try await kernel.addMember(caseID: try context.parameters.require("id"), username: body.username, actor: try context.requireActor(), requestID: context.requestID)
            return try Self.tagged(detail, version: detail.summary.version)
        }
        group.get("/cases/{id}/transitions") { _, context in
            let options = try await kernel.transitions(caseID: try context.parameters.require("id"), actor: try context.requireActor(), requestID: context.requestID)
            return try JSONBody.response(TransitionList(transitions: options))
        }
        group.post("/cases/{id}/transitions") { request, context in
            let body = try await decode(TransitionRequest.self, request)
            let detail = try await kernel.performTransition(
                caseID: try context.parameters.require("id"), transition: body.transition, reason: body.reason, expectVersion: try Self.ifMatch(request),
                actor: try context.requireActor(), requestID: context.requestID)
            return try Self.tagged(detail, version: detail.summary.version)
        }
        registerForms(on: group)
    }

    /// `/cases/{id}/forms/{namespace}/{name}`: the body is the form's answers,
    /// exactly as the form's JSON Schema describes them.
    func registerForms(on group: RouterGroup<AmanaRequestContext>) {
        group.get("/cases/{id}/forms/{namespace}/{name}") { request, context in
            let view = try await kernel.readSubmission(
                caseID: try context.parameters.require("id"), formID: try formID(context), entry: try Self.entry(request) ?? 1,
                actor: try context.requireActor(), requestID: context.requestID)
            return try Self.tagged(view, version: view.version)
        }
        group.put("/cases/{id}/forms/{namespace}/{name}") { request, context in
            try await submit(request, context, formID: try formID(context), entry: try Self.entry(request), status: .ok)
        }
        group.post("/cases/{id}/forms/{namespace}/{name}") { request, context in
            try await submit(request, context, formID: try formID(context), entry: nil, status: .created)
        }
        group.get("/cases/{id}/forms/{namespace}/{name}/history") { request, context in
            let versions = try await kernel.submissionHistory(
                caseID: try context.parameters.require("id"), formID: try formID(context), entry: try Self.entry(request) ?? 1,
                actor: try context.requireActor(), requestID: context.requestID)
            return try JSONBody.response(HistoryResponse(versions: versions))
        }
        // A case note is an entry of the core case-note form.
        group.post("/cases/{id}/notes") { request, context in
            try await submit(request, context, formID: "core/case-note", entry: nil, status: .created)
        }
    }

    func submit(_ request: Request, _ context: AmanaRequestContext, formID: String, entry: Int?, status: HTTPResponse.Status) async throws -> Response {
        let values = try await decode([String: JSONValue].self, request)
        let view = try await kernel.submitForm(
            caseID: try context.parameters.require("id"), formID: formID, entry: entry, values: values, expectVersion: try Self.ifMatch(request),
            idempotencyKey: request.headers[.idempotencyKey], actor: try context.requireActor(), requestID: context.requestID)
        return try Self.tagged(view, version: view.version, status: status)
    }

    func formID(_ context: AmanaRequestContext) throws -> String {
        try context.parameters.require("namespace") + "/" + context.parameters.require("name")
    }

    func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        try await JSONBody.decode(type, from: request, limit: kernel.config.maxBodyBytes)
    }

    static func entry(_ request: Request) throws -> Int? {
        guard let text = request.uri.queryParameters.get("entry") else { return nil }
        guard let entry = Int(text), entry > 0 else { throw AmanaError.invalid("entry", "entry is a whole number from 1.", pointer: "/entry") }
        return entry
    }

    /// The version named in `If-Match` (`"3"`, `W/"3"` or `3`).
    static func ifMatch(_ request: Request) throws -> Int? {
        guard let raw = request.headers[.ifMatch] else { return nil }
        let digits = raw.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "").trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        guard let version = Int(digits), version > 0 else {
            throw AmanaError.invalid("if-match", "If-Match names the version you read, as the ETag gave it (\"3\").", pointer: "If-Match")
        }
        return version
    }

    static func tagged(_ value: some Encodable, version: Int, status: HTTPResponse.Status = .ok) throws -> Response {
        var response = try JSONBody.response(value, status: status)
        response.headers[.eTag] = "\"\(version)\""
        return response
    }
}

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
}
