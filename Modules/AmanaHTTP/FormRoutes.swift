import AmanaCore
import Hummingbird
import Kernel

/// Form definitions as this install serves them (shipped, then overlaid by
/// the organisation): the list, one form for drawing it, its JSON Schema,
/// and, for administrators, the problems found when definitions loaded.
/// Form ids hold a slash (`gbv/incident`), so they take two path segments.
struct FormRoutes {
    let kernel: Kernel

    struct FormList: Encodable { var forms: [FormSummary] }

    struct ProblemList: Encodable { var problems: [Diagnostic] }

    func register(on group: RouterGroup<AmanaRequestContext>) {
        group.get("/forms") { request, context in
            try JSONBody.response(FormList(forms: try kernel.formSummaries(language: try language(request, context))))
        }
        group.get("/forms/{namespace}/{name}") { _, context in
            JSONBody.response(document: try kernel.formDocument(id: try formID(context)))
        }
        group.get("/forms/{namespace}/{name}/schema") { request, context in
            JSONBody.response(document: try kernel.formSchema(id: try formID(context), language: try language(request, context)), contentType: "application/schema+json")
        }
        group.get("/definitions/problems") { _, context in
            try JSONBody.response(ProblemList(problems: try await kernel.definitionProblems(by: .user(try context.requireActor()), requestID: context.requestID)))
        }
    }

    func formID(_ context: AmanaRequestContext) throws -> String {
        try context.parameters.require("namespace") + "/" + context.parameters.require("name")
    }

    /// `?lang=ar`, else the user's own language (the Kernel checks it).
    func language(_ request: Request, _ context: AmanaRequestContext) throws -> String {
        if let lang = request.uri.queryParameters.get("lang") { return String(lang) }
        return try context.requireActor().language
    }
}
