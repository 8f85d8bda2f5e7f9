import AmanaCore
import Foundation
import Identity
import Store

/// A team within an agency, as those who manage accounts see it.
public struct TeamSummary: Sendable, Equatable, Codable {
    public var name: String
    public var agency: String
    /// Active accounts in the team.
    public var members: Int
}

/// Teams are part of account management: whoever may create accounts in an
/// agency may make its teams (a team's cases are what a team lead supervises).
extension Kernel {
    public func addTeam(name: String, agencyCode: String?, by principal: Principal, requestID: String) async throws(AmanaError) -> TeamSummary {
        if case .user(let actor) = principal, !actor.may("create", "user") {
            throw await refuse(principal, "team.create", "teams", requestID: requestID)
        }
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(trimmed.count), !trimmed.contains(where: \.isNewline) else {
            throw .invalid("team-name", "A team's name has 1 to 100 characters on one line.", pointer: "/name")
        }
        return try await run {
            let agency = try await agency(agencyCode, for: principal)
            guard allows(principal, "create", holding: Holding(ownerID: nil, teamID: nil, agencyID: agency.id)) else {
                throw await refuse(principal, "team.create", "agency:\(agency.id.rawValue)", requestID: requestID)
            }
            // Names are how people and commands name a team: one of each name per agency.
            guard try await !store.teams().contains(where: { $0.agencyID == agency.id && $0.name.caseInsensitiveCompare(trimmed) == .orderedSame }) else {
                throw AmanaError(.conflict, code: "team-exists", "Agency \(agency.code) already has a team named '\(trimmed)'.", pointer: "/name")
            }
            let team = TeamRecord(id: .random(), agencyID: agency.id, name: trimmed)
            try await store.insertTeam(team, audit: audit(principal.auditName, "team.create", "team:\(team.id.rawValue)", requestID: requestID))
            return TeamSummary(name: trimmed, agency: agency.code, members: 0)
        }
    }

    /// The teams of the agencies whose accounts the principal may see, with their active members.
    public func listTeams(by principal: Principal, requestID: String) async throws(AmanaError) -> [TeamSummary] {
        try await run {
            if case .user(let actor) = principal, !actor.may("read", "user") {
                throw await refuse(principal, "team.list", "teams", requestID: requestID)
            }
            let agencies = Dictionary(uniqueKeysWithValues: try await store.agencies().map { ($0.id, $0.code) })
            let users = try await store.users()
            return try await store.teams()
                .filter { allows(principal, "read", holding: Holding(ownerID: nil, teamID: nil, agencyID: $0.agencyID)) }
                .map { team in
                    TeamSummary(name: team.name, agency: agencies[team.agencyID] ?? "", members: users.filter { $0.teamID == team.id && !$0.disabled }.count)
                }
                .sorted { ($0.agency, $0.name) < ($1.agency, $1.name) }
        }
    }
}
