import Hummingbird
import Kernel

/// Account management: administrators within their agency; teams are part of it.
struct UserRoutes {
    let kernel: Kernel

    struct NewUserRequest: Decodable {
        var username: String
        var displayName: String?
        var role: String
        var agency: String?
        var team: String?
        var password: String
        var language: String?
    }

    struct UserList: Encodable {
        var users: [UserSummary]
    }

    struct NewTeamRequest: Decodable {
        var name: String
        var agency: String?
    }

    struct TeamList: Encodable {
        var teams: [TeamSummary]
    }

    func register(on group: RouterGroup<AmanaRequestContext>) {
        group.get("/users") { _, context in
            try JSONBody.response(UserList(users: try await kernel.listUsers(by: .user(try context.requireActor()), requestID: context.requestID)))
        }
        group.post("/users") { request, context in
            let actor = try context.requireActor()
            let body = try await JSONBody.decode(NewUserRequest.self, from: request, limit: kernel.config.maxBodyBytes)
            let user = try await kernel.addUser(
                NewUser(username: body.username, displayName: body.displayName, role: body.role, agencyCode: body.agency,
                        teamName: body.team, password: body.password, language: body.language ?? "en"),
                by: .user(actor), requestID: context.requestID)
            return try JSONBody.response(user, status: .created)
        }
        group.post("/users/{username}/disable") { _, context in
            let username = try context.parameters.require("username")
            return try JSONBody.response(try await kernel.disableUser(username: username, by: .user(try context.requireActor()), requestID: context.requestID))
        }
        group.get("/teams") { _, context in
            try JSONBody.response(TeamList(teams: try await kernel.listTeams(by: .user(try context.requireActor()), requestID: context.requestID)))
        }
        group.post("/teams") { request, context in
            let actor = try context.requireActor()
            let body = try await JSONBody.decode(NewTeamRequest.self, from: request, limit: kernel.config.maxBodyBytes)
            let team = try await kernel.addTeam(name: body.name, agencyCode: body.agency, by: .user(actor), requestID: context.requestID)
            return try JSONBody.response(team, status: .created)
        }
    }
}
