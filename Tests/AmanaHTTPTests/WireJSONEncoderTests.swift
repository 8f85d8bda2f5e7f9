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

    /// Containers filled in out of turn (a nested container written after its parent's later
    /// members), super-encoders, a key given twice and arrays of arrays.
    struct Handwritten: Encodable {
        enum Keys: String, CodingKey { case zebra, alpha, middleKey, later, again }
        enum Inner: String, CodingKey { case yKey, xKey }
        func encode(to encoder: any Encoder) throws {
            var top = encoder.container(keyedBy: Keys.self)
            var inner = top.nestedContainer(keyedBy: Inner.self, forKey: .middleKey)
            var list = top.nestedUnkeyedContainer(forKey: .later)
            try top.encode("z", forKey: .zebra)
            try inner.encode(2, forKey: .yKey)
            var deeper = list.nestedUnkeyedContainer()
            try list.encode("after the nested one")
            try deeper.encode(true)
            try inner.encode([[1, 2], []], forKey: .xKey)
            try top.encode(1, forKey: .again)
            try top.encode("last wins", forKey: .again)
            try top.encodeNil(forKey: .alpha)
            try Date(timeIntervalSince1970: 0).encode(to: top.superEncoder())
        }
    }

    @Test func containersFilledInOutOfTurnLandInPlace() throws {
        let (foundation, ours) = try both([Handwritten(), Handwritten()])
        #expect(ours == foundation)
    }

    @Test func anEmptyValueAndAnInfinityAreTreatedAlike() throws {
        struct Nothing: Encodable { func encode(to encoder: any Encoder) throws {} }
        let (foundation, ours) = try both(["a": [Nothing()]])
        #expect(ours == foundation)
        struct Infinite: Encodable { var ratio = Double.infinity }
        #expect(throws: EncodingError.self) { try WireJSONEncoder.encode([Infinite()]) }
    }

    /// Dictionaries of random keys (Latin, Arabic, digits, capitals, punctuation) and values
    /// of every kind: the keys' order is Foundation's.
    @Test func randomDocumentsAreWrittenAlike() throws {
        var random = SplitMix64(seed: 20_261_130)
        let alphabet = Array("aZ_09-é ع\"\\/\u{7}Bq".unicodeScalars)
        func text() -> String {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int(random.next() % 6) { scalars.append(alphabet[Int(random.next() % UInt64(alphabet.count))]) }
            return String(scalars)
        }
        func value(_ depth: Int) -> JSONValue {
            switch random.next() % (depth > 2 ? 4 : 6) {
            case 0: .null
            case 1: .bool(random.next() % 2 == 0)
            case 2: .number(Double(Int64(random.next() % 2_000_000)) / 8 - 100_000)
            case 3: .string(text())
            case 4: .array((0..<Int(random.next() % 4)).map { _ in value(depth + 1) })
            default: .object(Dictionary((0..<Int(random.next() % 5)).map { _ in (text(), value(depth + 1)) }, uniquingKeysWith: { a, _ in a }))
            }
        }
        for _ in 0..<300 {
            let document: [String: JSONValue] = Dictionary((0..<Int(random.next() % 6)).map { _ in (text(), value(0)) }, uniquingKeysWith: { a, _ in a })
            let (foundation, ours) = try both(document)
            #expect(ours == foundation)
        }
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

    /// The views that write their own members (`WireMembers`), with every property set and with
    /// the optional ones left out. Each is read from JSON that names every property, and the test
    /// checks that none came back `nil`: a property added to the view and not to its members fails here.
    @Test func viewsWritingTheirOwnMembersWriteFoundationsBytes() throws {
        let summary = try WireJSON.decoder().decode(CaseSummary.self, from: Data("""
            {"id": "c1", "case_number": "GBV-2026-000001", "case_type": "gbv", "state": "open", "risk_level": "high",
             "owner": "u1", "version": 7, "updated_at": "2026-11-25T09:30:00Z", "closed": false}
            """.utf8))
        let task = try WireJSON.decoder().decode(TaskView.self, from: Data("""
            {"id": "t1", "case_id": "c1", "case_number": "GBV-2026-000001", "risk_level": "low", "title": "Follow up \\"safety\\" / متابعة",
             "assignee": "u1", "due_at": "2026-12-01T00:00:00Z", "overdue": true, "status": "pending"}
            """.utf8))
        let form = try WireJSON.decoder().decode(FormEntry.self, from: Data("""
            {"form_id": "core/consent", "title": "Consent / الموافقة", "entry": 2, "version": 3, "form_version": 4,
             "at": "2026-11-25T09:30:00Z", "by": "amal", "readable": true}
            """.utf8))
        let step = try WireJSON.decoder().decode(TransitionView.self, from: Data("""
            {"id": "close", "label": "Close the case", "to": "closed", "available": false, "can_request_approval": true,
             "blocked_by": [{"code": "workflow.form-missing", "message": "Fill in the form 'Case closure' first."},
                            {"code": "workflow.approval-needed", "message": "A Case manager must approve this step."}]}
            """.utf8))
        let change = try WireJSON.decoder().decode(StateChangeView.self, from: Data("""
            {"at": "2026-11-25T09:30:00Z", "by": "amal", "transition": "reopen", "from": "closed", "to": "assessment", "reason": "New incident"}
            """.utf8))
        for view in [summary, task, form, step, step.blockedBy[0], change] as [any WireMembers] {
            #expect(Mirror(reflecting: view).children.allSatisfy { child in
                guard let optional = child.value as? any OptionalValue else { return true }
                return !optional.isNone
            })
        }
        var (foundation, ours) = try both([summary])
        #expect(ours == foundation)
        (foundation, ours) = try both([task])
        #expect(ours == foundation)
        (foundation, ours) = try both([form])
        #expect(ours == foundation)
        (foundation, ours) = try both([step])
        #expect(ours == foundation)
        (foundation, ours) = try both([change])
        #expect(ours == foundation)
        var opening = change
        (opening.transition, opening.from, opening.reason) = (nil, nil, nil)
        var unblocked = step
        unblocked.blockedBy = []
        (foundation, ours) = try both([opening])
        #expect(ours == foundation)
        (foundation, ours) = try both([unblocked])
        #expect(ours == foundation)
        var bare = (summary, task)
        bare.0.riskLevel = nil
        bare.1.riskLevel = nil
        (foundation, ours) = try both([bare.0])
        #expect(ours == foundation)
        (foundation, ours) = try both([bare.1])
        #expect(ours == foundation)
    }
}

/// Whether a `Mirror`'s child is an optional left `nil`.
private protocol OptionalValue { var isNone: Bool { get } }
extension Optional: OptionalValue { var isNone: Bool { self == nil } }
