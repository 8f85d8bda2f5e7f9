import AmanaCore

extension CaseQuery {
    /// The need-to-know filter of this query's reach over `case_file c`, purged cases left out,
    /// as SQL with `?` for each argument, the same for every store (case types are added by each
    /// store, as a list of its own kind).
    ///
    /// A person's reach is found through the indexes (owner, team, membership) and then looked
    /// up by id: its cost grows with the reach, not with the file. Written as one OR, SQLite
    /// scanned every case to test each (found at 100,000 cases).
    public var reachFilter: (clauses: [String], arguments: [String?]) {
        var clauses = ["c.wrapped_key IS NOT NULL"]
        var arguments: [String?] = []
        let owned = "SELECT id FROM case_file WHERE owner_id = ?"
        let teams = "SELECT id FROM case_file WHERE team_id = ?"
        let member = "SELECT case_id FROM case_member WHERE user_id = ?"
        switch reach {
        case .all:
            break
        case .agency(let agency):
            clauses.append("c.agency_id = ?")
            arguments.append(agency.rawValue)
        case .team(let agency, let team, let user):
            clauses.append("c.agency_id = ? AND c.id IN (\(owned) UNION \(teams) UNION \(member))")
            // Without a team, `team_id = NULL` matches nothing: only own and assigned cases.
            arguments += [agency.rawValue, user.rawValue, team?.rawValue, user.rawValue]
        case .own(let agency, let user):
            clauses.append("c.agency_id = ? AND c.id IN (\(owned) UNION \(member))")
            arguments += [agency.rawValue, user.rawValue, user.rawValue]
        case .assigned(let agency, let user):
            clauses.append("c.agency_id = ? AND c.id IN (\(member))")
            arguments += [agency.rawValue, user.rawValue]
        }
        return (clauses, arguments)
    }

    /// The same reach for a page of cases newest first: the clauses every case in it meets
    /// (``reachFilter`` without its union) and the ways into it, each walked on its own.
    ///
    /// A store reads each way's newest cases through its own index, in the list's order,
    /// stopping at the page's end, and merges them: a page costs the same whether the
    /// person holds a hundred cases or ten thousand. The union of ``reachFilter`` sorts the
    /// whole reach for every page (a team lead's list took 9 ms at 3,000 cases, now
    /// 0.2 ms). Everyone's and an agency's reach have no ways in: the page is read in
    /// order straight from the cases.
    public var reachPaths: (clauses: [String], arguments: [String?], paths: [ReachPath]) {
        switch reach {
        case .all:
            return (["c.wrapped_key IS NOT NULL"], [], [])
        case .agency(let agency):
            return (["c.wrapped_key IS NOT NULL", "c.agency_id = ?"], [agency.rawValue], [])
        case .team(let agency, let team, let user):
            // Without a team, `team_id = NULL` matches nothing, as in ``reachFilter``.
            return (["c.wrapped_key IS NOT NULL", "c.agency_id = ?"], [agency.rawValue], [.owned(user), .team(team), .assigned(user)])
        case .own(let agency, let user):
            return (["c.wrapped_key IS NOT NULL", "c.agency_id = ?"], [agency.rawValue], [.owned(user), .assigned(user)])
        case .assigned(let agency, let user):
            return (["c.wrapped_key IS NOT NULL", "c.agency_id = ?"], [agency.rawValue], [.assigned(user)])
        }
    }
}

/// One way into a person's reach: the cases they own, their team's, or those they are
/// assigned to; `from` names `case_file` as `c`, and `condition` has one `?`, `argument`.
public struct ReachPath: Sendable {
    public let from: String
    public let condition: String
    public let argument: String?

    static func owned(_ user: UserID) -> ReachPath { ReachPath(from: "case_file c", condition: "c.owner_id = ?", argument: user.rawValue) }
    static func team(_ team: TeamID?) -> ReachPath { ReachPath(from: "case_file c", condition: "c.team_id = ?", argument: team?.rawValue) }
    static func assigned(_ user: UserID) -> ReachPath {
        ReachPath(from: "case_member m JOIN case_file c ON c.id = m.case_id", condition: "m.user_id = ?", argument: user.rawValue)
    }
}
