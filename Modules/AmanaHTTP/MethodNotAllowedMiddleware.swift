import Hummingbird

/// A known path asked with a method it does not have: 405 with `Allow` (RFC 9110),
/// rather than the router's 404, so a client can tell a wrong method from a
/// wrong address. The table comes from the OpenAPI document, which a test keeps
/// equal to the router's routes.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = AmanaRequestContext

    /// Path templates (`/api/v1/cases/{id}`) split into segments, with their methods.
    let templates: [([Substring], String)]

    init(paths: [String: Any]) {
        templates = paths.compactMap { path, item in
            guard let operations = item as? [String: Any] else { return nil }
            return (path.split(separator: "/"), operations.keys.map { $0.uppercased() }.sorted().joined(separator: ", "))
        }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            guard let allow = allowed(request.uri.path) else { throw error }
            throw HTTPError(.methodNotAllowed, headers: [.allow: allow])
        }
    }

    /// The methods of the most specific template that matches (`/cases/search` before `/cases/{id}`).
    func allowed(_ path: String) -> String? {
        let segments = path.split(separator: "/")
        return templates
            .filter { template, _ in template.count == segments.count && zip(template, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 } }
            .min { $0.0.filter { $0.hasPrefix("{") }.count < $1.0.filter { $0.hasPrefix("{") }.count }?.1
    }
}
