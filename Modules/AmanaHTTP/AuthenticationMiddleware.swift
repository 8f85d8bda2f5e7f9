import AmanaCore
import Hummingbird
import Kernel

/// Checks the bearer token through the kernel and puts the actor in the context.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AmanaRequestContext
    let kernel: Kernel

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw AmanaError.unauthenticated
        }
        let token = String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
        var context = context
        context.actor = try await kernel.authenticate(token: token)
        context.token = token
        return try await next(request, context)
    }
}

import Foundation
