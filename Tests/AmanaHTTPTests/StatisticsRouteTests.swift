import AmanaCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Testing

/// Anonymous statistics over HTTP on the demo install.
@Suite("Statistics routes")
struct StatisticsRouteTests {
    @Test func aProgrammeManagerGetsSuppressedCountsAsJSONOrCSVAndACaseworkerNothing() async throws {
        let f = try await HTTPFixture(demo: true)
        let passwords = f.passwords
        try await f.test { client in
            let karim = try await client.signIn("karim", password: passwords["karim"]!)
            let amal = try await client.signIn("amal", password: passwords["amal"]!)
            // The demo's five GBV incidents, all physical assaults of women aged 26 to 40.
            let table = try await client.json("/api/v1/statistics?form=gbv/incident&rows=violence_type&columns=survivor_age_band", .get, token: karim)
            #expect(table.status == .ok, "\(table.object)")
            #expect(table.object["total"] as? String == "5" && table.object["minimum_cell"] as? Int == 5)
            let rows = (table.object["rows"] as? [[String: Any]])?.compactMap { $0["code"] as? String } ?? []
            let columns = (table.object["columns"] as? [[String: Any]])?.compactMap { $0["code"] as? String } ?? []
            let cells = table.object["cells"] as? [[String]] ?? []
            #expect(cells[rows.firstIndex(of: "physical_assault")!][columns.firstIndex(of: "age_26_40")!] == "5")
            let csv = try await client.execute(
                uri: "/api/v1/statistics?form=gbv/incident&rows=violence_type&format=csv", method: .get, headers: [.authorization: "Bearer \(karim)"])
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(String(buffer: csv.body).contains("Physical assault,5,5\r\n"))
            #expect(try await client.json("/api/v1/statistics?form=gbv/incident&rows=violence_type", .get, token: amal).status == .forbidden)
            let sensitive = try await client.json("/api/v1/statistics?form=gbv/incident&rows=incident_date", .get, token: karim)
            #expect(sensitive.status == .unprocessableContent)
            #expect((sensitive.object["invalid_params"] as? [[String: String]])?.first?["name"] == "/rows")
            let month = String(ISO8601DateFormatter().string(from: Date()).prefix(7))
            let report = try await client.execute(uri: "/api/v1/reports/monthly?month=\(month)", method: .get, headers: [.authorization: "Bearer \(karim)"])
            #expect(report.status == .ok && report.headers[.contentType] == "text/html; charset=utf-8")
            #expect(String(buffer: report.body).contains("<svg") && String(buffer: report.body).contains("Physical assault"))
            let narrow = try await client.json("/api/v1/statistics?form=gbv/incident&rows=violence_type&from=2099-01", .get, token: karim)
            #expect(narrow.status == .unprocessableContent && (narrow.object["type"] as? String)?.hasSuffix("too-narrow") == true)
        }
    }
}
