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
        let (clauses, arguments, paths) = reachPaths
        guard !paths.isEmpty else { return (clauses, arguments) }
        return (clauses + ["c.id IN (\(paths.map(\.ids).joined(separator: " UNION ")))"], arguments + paths.map(\.argument))
    }

    /// The same reach for a page of cases newest first: the clauses every case in it meets
    /// (``reachFilter`` without its union) and the ways into it, each walked on its own
    /// (``pageOfCases(select:order:filter:arguments:limit:)``).
    ///
    /// Everyone's and an agency's reach have no ways in: the page is read in order straight
    /// from the cases.
    public var reachPaths: (clauses: [String], arguments: [String?], paths: [ReachPath]) {
        let held = "c.wrapped_key IS NOT NULL"
        switch reach {
        case .all:
            return ([held], [], [])
        case .agency(let agency):
            return ([held, "c.agency_id = ?"], [agency.rawValue], [])
        case .team(let agency, let team, let user):
            // Without a team, `team_id = NULL` matches nothing: only own and assigned cases.
            return ([held, "c.agency_id = ?"], [agency.rawValue], [.owned(user), .team(team), .assigned(user)])
        case .own(let agency, let user):
            return ([held, "c.agency_id = ?"], [agency.rawValue], [.owned(user), .assigned(user)])
        case .assigned(let agency, let user):
            return ([held, "c.agency_id = ?"], [agency.rawValue], [.assigned(user)])
        }
    }

    /// A page of this query's cases, newest first, as one statement for either store:
    /// `select` the columns of `case_file c`, `order` its sequence column (SQLite's rowid,
    /// PostgreSQL's seq), `filter` every other clause (the reach's own included) with its
    /// `arguments`; `argument` makes a store's argument of a way in's value and of the limit.
    ///
    /// Each way into the reach gives its newest `limit` cases through its own index, in the
    /// list's order, stopping at the page's end, and the page is the newest of those: a page
    /// costs the same whether the person holds a hundred cases or ten thousand. The union of
    /// ``reachFilter`` sorted the whole reach for every page (a team lead's list took 9 ms at
    /// 3,000 cases, now 0.2 ms).
    public func pageOfCases<Argument>(
        select: String, order: String, filter: String, arguments: [Argument], argument: (String?) -> Argument, limit: (Int) -> Argument
    ) -> (sql: String, arguments: [Argument]) {
        let paths = reachPaths.paths
        guard !paths.isEmpty else {
            return ("SELECT \(select) FROM case_file c WHERE \(filter) ORDER BY \(order) DESC LIMIT ?", arguments + [limit(self.limit)])
        }
        var all: [Argument] = []
        let ways = paths.enumerated().map { n, path in
            all += [argument(path.argument)] + arguments + [limit(self.limit)]
            return "SELECT seq FROM (SELECT \(order) AS seq FROM \(path.from) WHERE \(path.condition) AND \(filter) ORDER BY \(order) DESC LIMIT ?) AS way\(n)"
        }
        return ("SELECT \(select) FROM case_file c WHERE \(order) IN (\(ways.joined(separator: " UNION "))) ORDER BY \(order) DESC LIMIT ?", all + [limit(self.limit)])
    }
}

/// One way into a person's reach: the cases they own, their team's, or those they are
/// assigned to; `from` names `case_file` as `c`, `condition` has one `?` (`argument`), and
/// `ids` is the same way as a list of case ids.
public struct ReachPath: Sendable {
    public let from: String
    public let condition: String
    public let ids: String
    public let argument: String?

    static func owned(_ user: UserID) -> ReachPath {
        ReachPath(from: "case_file c", condition: "c.owner_id = ?", ids: "SELECT id FROM case_file WHERE owner_id = ?", argument: user.rawValue)
    }

    static func team(_ team: TeamID?) -> ReachPath {
        ReachPath(from: "case_file c", condition: "c.team_id = ?", ids: "SELECT id FROM case_file WHERE team_id = ?", argument: team?.rawValue)
    }

    static func assigned(_ user: UserID) -> ReachPath {
        ReachPath(
            from: "case_member m JOIN case_file c ON c.id = m.case_id", condition: "m.user_id = ?", ids: "SELECT case_id FROM case_member WHERE user_id = ?",
            argument: user.rawValue)
    }
}
