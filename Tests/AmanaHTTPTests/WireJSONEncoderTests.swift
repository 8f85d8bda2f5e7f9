import AmanaCore
import AmanaTestSupport
import Foundation
import Kernel
import Testing

/// The API's own JSON writer must write exactly what Foundation's encoder, set up as
/// `WireJSON.encoder()`, writes: same keys, same order, same dates.
@Suite("Wire JSON: the fast encoder writes Foundation's bytes")
struct WireJSONEncoderTests {
    func both(_ value: some Encodable) throws -> (String, String) {
        (String(decoding: try WireJSON.encoder().encode(value), as: UTF8.self), String(decoding: try WireJSONEncoder.encode(value), as: UTF8.self))
    }

    struct Keys: Encodable {
        var caseNumber = 1, URLValue = 2, already_snake = 3, p99Ms = 4, isHTTPSOK = 5, _leading = 6, trailing_ = 7, userID = 8, aBC = 9, x = 10
        var version2Label = 11, ünïcodeÄb = 12, ID = 13, nextCursor: String? = nil, closedAt: Date? = Date(timeIntervalSince1970: 1_790_000_000.75)
    }

    @Test func keysBecomeSnakeCaseAsFoundationMakesThem() throws {
        let (foundation, ours) = try both(Keys())
        #expect(ours == foundation)
        // A dictionary's keys (form answers) are written as they are.
        let answers: [String: JSONValue] = ["given_name": .string("Hana"), "camelKey": .number(1), "nested": .object(["innerKey": .array([.null, .bool(true), .number(2.5)])])]
        let (a, b) = try both(answers)
        #expect(b == a)
    }

    @Test(arguments: [0.0, 1.5, 59.999, 86_399, 951_782_400, 1_790_000_000.2, 4_102_444_800, -86_401, -12_212_553_601, -62_135_596_800])
    func datesAreWholeSecondsInUTC(seconds: Double) throws {
        let (foundation, ours) = try both([Date(timeIntervalSince1970: seconds)])
        #expect(ours == foundation)
    }

    @Test func textWithQuotesControlsSlashesAndArabicIsEscapedAlike() throws {
        let (foundation, ours) = try both(["note": "She said \"no\"\n\t/ \\ \u{01} مرحبا 👋"])
        #expect(ours == foundation)
    }

    /// The views the API serves most, from a demo install with cases in every state.
    @Test func theCaseViewsOfADemoInstallAreTheSameBytes() async throws {
        let f = try await HTTPFixture(demo: true)
        for username in ["amal", "huda", "karim"] {
            let actor = try await f.kernel.signIn(username: username, password: f.passwords[username] ?? "", requestID: "t").actor
            guard let page = try? await f.kernel.listCases(CaseFilter(limit: 50), actor: actor, requestID: "t") else { continue }
            var (foundation, ours) = try both(page)
            #expect(ours == foundation)
            for summary in page.cases.prefix(8) {
                (foundation, ours) = try both(try await f.kernel.caseDetail(id: summary.id, actor: actor, requestID: "t"))
                #expect(ours == foundation, "case \(summary.caseNumber)")
            }
            (foundation, ours) = try both(try await f.kernel.myWork(actor: actor, requestID: "t"))
            #expect(ours == foundation)
            if let dashboard = try? await f.kernel.dashboard(actor: actor, requestID: "t") {
                (foundation, ours) = try both(dashboard)
                #expect(ours == foundation)
            }
        }
    }
}
