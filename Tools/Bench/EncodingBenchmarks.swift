import AmanaCore
import Foundation
import Kernel

/// Writing the API's answers: every response body goes through ``WireJSONEncoder``.
enum EncodingBenchmarks {
    /// A page of 50 case summaries (the case list, a search, my work's cases), against
    /// Foundation's encoder set up to write the same bytes (`WireJSON.encoder()`).
    static func run() throws {
        // Made as the API would read it back: the views have no public initialisers.
        let summaries: [JSONValue] = (0..<50).map { n in
            var summary: JSONValue = [
                "id": .string(UUID().uuidString.lowercased()), "case_number": .string("BENCH-2026-\(String(100_000 + n).dropFirst())"),
                "case_type": n % 3 == 0 ? "gbv" : "child-protection", "state": .string(["registered", "assessment", "case_planning", "follow_up"][n % 4]),
                "owner": .string("worker\(n % 10)"), "version": .number(Double(n + 3)),
                "updated_at": .string(InternetDateTime.format(Date(timeIntervalSince1970: 1_795_000_000 - Double(n * 3_600)))), "closed": .bool(n % 7 == 0),
            ]
            if n % 5 != 0 { summary.set("risk_level", "high") }
            return summary
        }
        let page = try WireJSON.decoder().decode(CasePage.self, from: JSONValue.object(["cases": .array(summaries), "next_cursor": "YzoxMjM0NQ=="]).encoded())
        let foundation = WireJSON.encoder()
        guard try WireJSONEncoder.encode(page) == foundation.encode(page) else { fatalError("the two encoders wrote different bytes") }
        let baseline = try Harness.measure("Foundation JSONEncoder, the same page", iterations: Harness.scaled(5_000)) { _ = try foundation.encode(page) }
        Harness.report(try Harness.measure("write a page of 50 case summaries", iterations: Harness.scaled(5_000)) { _ = try WireJSONEncoder.bytes(page) }, against: baseline)
    }
}
