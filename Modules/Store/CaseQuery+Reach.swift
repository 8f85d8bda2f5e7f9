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
}
