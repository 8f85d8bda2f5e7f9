import AmanaCore
import Foundation

/// What a statistics table counts: one form's answers, by one field, and
/// optionally by a second field or by month.
public struct StatisticsRequest: Sendable, Equatable {
    /// A form (`gbv/incident`): each entry of it counts once.
    public var form: String
    /// A top-level field of the form marked `aggregate`, with one answer (a select, yes/no, tick or place).
    public var rows: String
    /// A second such field, `month` (the month the case was opened), or nil.
    public var columns: String?
    /// The first and last month counted (`2026-01`), by the month the case was opened.
    public var from: String?
    public var to: String?

    public init(form: String, rows: String, columns: String? = nil, from: String? = nil, to: String? = nil) {
        self.form = form
        self.rows = rows
        self.columns = columns
        self.from = from
        self.to = to
    }
}

/// An anonymous table of counts, suppressed: a number under the minimum reads
/// `<5`, one withheld so that such a number cannot be worked out reads `x`.
public struct StatisticsTable: Sendable, Equatable, Codable {
    /// One row or column: its code and its label in the reader's language.
    public struct Heading: Sendable, Equatable, Codable {
        public var code: String
        public var label: String
    }

    public var form: String
    public var formTitle: String
    /// What the rows and the columns are (field labels; "Month").
    public var rowsLabel: String
    public var columnsLabel: String?
    public var rows: [Heading]
    public var columns: [Heading]
    /// `cells[row][column]`: a count, `<5` or `x`.
    public var cells: [[String]]
    public var rowTotals: [String]
    public var columnTotals: [String]
    public var total: String
    /// Entries of cases whose consent does not allow their use in anonymous reports: not counted.
    public var leftOut: String
    /// Counts under this are not shown.
    public var minimumCell: Int

    /// The table as CSV: a header of column labels, a line per row with its total, then the totals.
    public var csv: String {
        var text = CSV.line([rowsLabel] + columns.map(\.label) + ["Total"])
        for (index, row) in rows.enumerated() { text += CSV.line([row.label] + cells[index] + [rowTotals[index]]) }
        return text + CSV.line(["Total"] + columnTotals + [total])
    }
}
