import AmanaCore
import Foundation
import Identity

/// The month's anonymous report for programme managers and coordination bodies:
/// the same suppressed tables as ``Kernel/statistics(_:actor:requestID:)``, each
/// with a bar chart, as one printable HTML page (print it to PDF from a browser).
public struct MonthlyReport: Sendable, Equatable {
    /// One table of the report, or why it is not there (too few entries to publish).
    public struct Part: Sendable, Equatable {
        public var title: String
        public var table: StatisticsTable?
        public var withheld: String?
    }

    public var month: String
    public var organisation: String
    public var generatedAt: Date
    public var parts: [Part]

    /// What the report counts: form, rows, columns, when the form is served.
    static let tables: [(form: String, rows: String, columns: String?)] = [
        ("gbv/incident", "violence_type", "survivor_age_band"),
        ("gbv/incident", "survivor_age_band", "core/registration/sex"),
        ("gbv/incident", "place_type", nil),
        ("referrals", "service_type", "status"),
        ("core/closure", "closure_reason", nil),
        ("core/service-feedback", "overall_satisfaction", nil),
    ]

    /// The page: a heading, then each table with its chart; nothing but counts, suppressed.
    public var html: String {
        var body = "<h1>\(escape(organisation)) — \(escape(month))</h1>\n"
        body += "<p class=\"note\">Anonymous counts of cases whose consent allows their use in reports. A count under 5 reads &lt;5; a number withheld so that such a count cannot be worked out reads x.</p>\n"
        for part in parts {
            body += "<section>\n<h2>\(escape(part.title))</h2>\n"
            if let table = part.table {
                body += chart(table) + tableHTML(table)
                if table.leftOut != "0" { body += "<p class=\"note\">Not counted (no consent to reporting): \(escape(table.leftOut)).</p>\n" }
            } else {
                body += "<p class=\"note\">\(escape(part.withheld ?? ""))</p>\n"
            }
            body += "</section>\n"
        }
        let generated = ISO8601DateFormatter().string(from: generatedAt)
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(organisation)) — \(escape(month))</title>
            <style>
            body { font-family: sans-serif; margin: 2em; color: #222; } table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
            th, td { border: 1px solid #999; padding: 0.2em 0.6em; text-align: right; } th:first-child, td:first-child { text-align: left; }
            .note { color: #555; font-size: 0.9em; } section { page-break-inside: avoid; } svg text { font-size: 11px; }
            </style></head><body>
            \(body)<p class="note">Generated \(generated) by Amana.</p>
            </body></html>

            """
    }

    func tableHTML(_ t: StatisticsTable) -> String {
        var out = "<table><tr><th>\(escape(t.rowsLabel))</th>" + t.columns.map { "<th>\(escape($0.label))</th>" }.joined() + "<th>Total</th></tr>\n"
        for (index, row) in t.rows.enumerated() {
            out += "<tr><td>\(escape(row.label))</td>" + t.cells[index].map { "<td>\(escape($0))</td>" }.joined() + "<td>\(escape(t.rowTotals[index]))</td></tr>\n"
        }
        return out + "<tr><th>Total</th>" + t.columnTotals.map { "<th>\(escape($0))</th>" }.joined() + "<th>\(escape(t.total))</th></tr></table>\n"
    }

    /// Horizontal bars of the row totals; a withheld total is drawn as no bar, with its mark.
    func chart(_ t: StatisticsTable) -> String {
        let values = t.rowTotals.map { Int($0) }
        let largest = max(values.compactMap { $0 }.max() ?? 1, 1)
        let rowHeight = 18, labelWidth = 260, barWidth = 300
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(labelWidth + barWidth + 60)\" height=\"\(t.rows.count * rowHeight + 4)\" role=\"img\" aria-label=\"\(escape(t.rowsLabel))\">\n"
        for (index, row) in t.rows.enumerated() {
            let y = index * rowHeight + 2
            svg += "<text x=\"0\" y=\"\(y + 13)\">\(escape(row.label))</text>"
            if let value = values[index] {
                let width = value * barWidth / largest
                svg += "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(width)\" height=\"\(rowHeight - 4)\" fill=\"#4a6fa5\"/>"
                svg += "<text x=\"\(labelWidth + width + 4)\" y=\"\(y + 13)\">\(value)</text>\n"
            } else {
                svg += "<text x=\"\(labelWidth)\" y=\"\(y + 13)\">\(escape(t.rowTotals[index]))</text>\n"
            }
        }
        return svg + "</svg>\n"
    }

    func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}

extension Kernel {
    /// The month's report: each of its tables, suppressed, over the cases opened in
    /// `month` (YYYY-MM); a table too narrow to publish is named with why it is not there.
    public func monthlyReport(month: String, actor: Actor, requestID: String) async throws(AmanaError) -> MonthlyReport {
        let month = try self.month(month, pointer: "/month")
        guard actor.role.scope(for: "report", "read") != nil else { throw await refuse(.user(actor), "statistics.read", "report", requestID: requestID) }
        var parts: [MonthlyReport.Part] = []
        for spec in MonthlyReport.tables where definitions.forms[spec.form] != nil || spec.form == Kernel.referralsSource {
            do {
                let table = try await statistics(StatisticsRequest(form: spec.form, rows: spec.rows, columns: spec.columns, from: month, to: month), actor: actor, requestID: requestID)
                parts.append(.init(title: "\(table.formTitle): \(table.rowsLabel)\(table.columnsLabel.map { " by \($0)" } ?? "")", table: table, withheld: nil))
            } catch where error.code == "too-narrow" {
                let form = definitions.forms[spec.form]
                let rows = (form.map { try? countedField(spec.rows, of: $0, pointer: "", language: actor.language) } ?? (try? referralField(spec.rows, pointer: "", language: actor.language)))??.label
                parts.append(.init(
                    title: "\(form?.title.text(actor.language) ?? StatisticsWords.referrals(actor.language)): \(rows ?? spec.rows)", table: nil,
                    withheld: "Not shown: fewer than \(Kernel.minimumCell) entries this month."))
            }
        }
        let organisation = try await run { try await agencyName(actor.agencyID) }
        return MonthlyReport(month: month, organisation: organisation, generatedAt: clock.now(), parts: parts)
    }
}
