/// Small-cell suppression of a table of counts with its totals, so that no
/// count under the minimum can be read or worked out.
///
/// Primary suppression withholds every count from 1 to `minimum - 1` (cells
/// and totals). Complementary suppression then withholds more, until no line
/// (a row or a column with its total; the totals with the grand total) has
/// exactly one withheld number: one withheld number in a line is its total
/// minus the others. The grand total is never withheld; a table whose grand
/// total is under the minimum is not published at all (the caller refuses it).
public struct CellSuppression: Sendable, Equatable {
    /// Why a number is not shown.
    public enum Mark: Sendable, Equatable {
        case shown
        /// Under the minimum: shown as "<5".
        case small
        /// Withheld so that a small one cannot be worked out: shown as "x".
        case complementary
    }

    public var cells: [[Mark]]
    public var rowTotals: [Mark]
    public var columnTotals: [Mark]

    /// Suppresses `counts` (rows of equal length) with `minimum` (5 by default).
    public static func apply(_ counts: [[Int]], minimum: Int = 5) -> CellSuppression {
        let rows = counts.count, columns = counts.first?.count ?? 0
        let rowTotals = counts.map { $0.reduce(0, +) }
        let columnTotals = (0..<columns).map { c in counts.reduce(0) { $0 + $1[c] } }
        let primary = { (value: Int) -> Mark in value > 0 && value < minimum ? .small : .shown }
        var result = CellSuppression(cells: counts.map { $0.map(primary) }, rowTotals: rowTotals.map(primary), columnTotals: columnTotals.map(primary))

        // A line is a list of places in the table (cell, row total or column total) that add up.
        enum Place: Hashable { case cell(Int, Int), rowTotal(Int), columnTotal(Int) }
        var lines: [[Place]] = (0..<rows).map { r in (0..<columns).map { .cell(r, $0) } + [.rowTotal(r)] }
        lines += (0..<columns).map { c in (0..<rows).map { .cell($0, c) } + [.columnTotal(c)] }
        // The totals add up to the grand total (shown) both ways.
        lines.append((0..<columns).map { .columnTotal($0) })
        lines.append((0..<rows).map { .rowTotal($0) })
        func value(_ place: Place) -> Int {
            switch place {
            case .cell(let r, let c): counts[r][c]
            case .rowTotal(let r): rowTotals[r]
            case .columnTotal(let c): columnTotals[c]
            }
        }
        func mark(_ place: Place) -> Mark {
            switch place {
            case .cell(let r, let c): result.cells[r][c]
            case .rowTotal(let r): result.rowTotals[r]
            case .columnTotal(let c): result.columnTotals[c]
            }
        }
        func withhold(_ place: Place) {
            switch place {
            case .cell(let r, let c): result.cells[r][c] = .complementary
            case .rowTotal(let r): result.rowTotals[r] = .complementary
            case .columnTotal(let c): result.columnTotals[c] = .complementary
            }
        }
        // The totals lines have no total of their own among their places: the grand total, always shown.
        var changed = true
        while changed {
            changed = false
            for line in lines {
                let withheld = line.filter { mark($0) != .shown }
                guard withheld.count == 1 else { continue }
                // Withhold the smallest other number of the line: a count before a zero (a
                // zero shown beside zeros is plain to see), a cell before a total.
                func order(_ place: Place) -> (Int, Int, Int) {
                    let isCell = if case .cell = place { true } else { false }
                    return (value(place) == 0 ? 1 : 0, isCell ? 0 : 1, value(place))
                }
                let candidates = line.filter { mark($0) == .shown }.sorted { order($0) < order($1) }
                guard let next = candidates.first else { continue }
                withhold(next)
                changed = true
            }
        }
        return result
    }
}
