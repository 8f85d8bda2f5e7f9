import AmanaCore
import Foundation
import Hummingbird
import Identity
import Kernel

/// Sign in, sign out, and who am I.
struct SessionRoutes {
    let kernel: Kernel

    struct SignInRequest: Decodable {
        var username: String
        var password: String
    }

    struct SignInResponse: Encodable {
        var token: String
        var expiresAt: Date
        var user: Me
    }

    struct Me: Encodable {
        var id: String
        var username: String
        var displayName: String
        var role: String
        var roleLabel: String
        var agencyId: String
        var teamId: String?
        var language: String
        var permissions: [String]

        init(_ actor: Actor) {
            id = actor.userID.rawValue
            username = actor.username
            displayName = actor.displayName
            role = actor.role.id
            roleLabel = actor.role.label[actor.language] ?? actor.role.label["en"] ?? actor.role.id
            agencyId = actor.agencyID.rawValue
            teamId = actor.teamID?.rawValue
            language = actor.language
            permissions = actor.role.permissions.flatMap { p in p.actions.sorted().map { "\(p.resource).\($0):\(p.scope.rawValue)" } }.sorted()
        }
    }

    struct PasswordChange: Decodable {
        var currentPassword: String
        var newPassword: String
    }

    func register(on router: Router<AmanaRequestContext>) {
        router.post("/api/v1/sessions") { request, context in
            let body = try await JSONBody.decode(SignInRequest.self, from: request, limit: kernel.config.maxBodyBytes)
            let signIn = try await kernel.signIn(username: body.username, password: body.password, requestID: context.requestID)
            return try JSONBody.response(SignInResponse(token: signIn.token, expiresAt: signIn.expiresAt, user: Me(signIn.actor)), status: .created)
        }
    }

    func registerAuthenticated(on group: RouterGroup<AmanaRequestContext>) {
        group.delete("/sessions/current") { _, context in
            try await kernel.signOut(token: context.token ?? "", requestID: context.requestID)
            return Response(status: .noContent)
        }
        group.get("/me") { _, context in
            try JSONBody.response(Me(try context.requireActor()))
        }
        group.put("/me/password") { request, context in
            let body = try await JSONBody.decode(PasswordChange.self, from: request, limit: kernel.config.maxBodyBytes)
            try await kernel.changePassword(actor: try context.requireActor(), current: body.currentPassword, new: body.newPassword, requestID: context.requestID)
            return Response(status: .noContent)
        }
    }
}
