import AmanaCore
import Foundation
import Hummingbird
import Kernel

/// Anonymous statistics (`report.read`): a table of counts of aggregate
/// answers, suppressed, as JSON or CSV (`?format=csv` or `Accept: text/csv`).
struct StatisticsRoutes {
    let kernel: Kernel

    func register(on group: RouterGroup<AmanaRequestContext>) {
        group.get("/statistics") { request, context in
            let query = request.uri.queryParameters
            guard let form = query.get("form") else { throw AmanaError.invalid("form-required", "Name the form to count, e.g. form=gbv/incident.", pointer: "/form") }
            guard let rows = query.get("rows") else { throw AmanaError.invalid("rows-required", "Name the answer to count by, e.g. rows=violence_type.", pointer: "/rows") }
            let table = try await kernel.statistics(
                StatisticsRequest(form: form, rows: rows, columns: query.get("columns"), from: query.get("from"), to: query.get("to")),
                actor: try context.requireActor(), requestID: context.requestID)
            if query.get("format") == "csv" || request.headers[.accept]?.lowercased().contains("text/csv") == true {
                return Response(
                    status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"statistics.csv\""],
                    body: .init(byteBuffer: ByteBuffer(string: table.csv)))
            }
            return try JSONBody.response(table)
        }
        group.get("/reports/monthly") { request, context in
            guard let month = request.uri.queryParameters.get("month") else {
                throw AmanaError.invalid("month", "Name the month, e.g. month=2026-11.", pointer: "/month")
            }
            let report = try await kernel.monthlyReport(month: month, actor: try context.requireActor(), requestID: context.requestID)
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .contentDisposition: "inline; filename=\"amana-\(report.month).html\""],
                body: .init(byteBuffer: ByteBuffer(string: report.html)))
        }
    }
}
