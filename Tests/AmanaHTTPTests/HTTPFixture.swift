import AmanaCore
import AmanaTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Kernel
@testable import AmanaHTTP

/// A real install (temporary directory) behind the real router, driven
/// in-process by HummingbirdTesting.
struct HTTPFixture {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let password = "a long enough password"

    let kernel: Kernel
    /// With `demo`: every demo account's password (one account per role, and cases in every state).
    let passwords: [String: String]

    /// - Parameter clock: the kernel's clock (a `ManualClock` holds time still for tests of rates).
    init(demo: Bool = false, clock: any Clock = SystemClock(), configure: (String) throws -> Void = { _ in }) async throws {
        let layout = InstallLayout(directory: FileManager.default.temporaryDirectory.appendingPathComponent("amana-http-\(UUID().uuidString)").path)
        let report = try await Kernel.initialize(layout, agencyCode: "ACME", demo: demo, shippedDirectory: Self.repositoryRoot, fastPasswordHashing: true, store: try await TestStore.fresh())
        try configure(layout.config)
        kernel = try Kernel.open(layout, shippedDirectory: Self.repositoryRoot, clock: clock, fastPasswordHashing: true)
        passwords = Dictionary(report.demoAccounts.map { ($0.username, $0.password) }, uniquingKeysWith: { a, _ in a })
        guard !demo else { return }
        for (username, role) in [("amal", "case_worker"), ("admin", "administrator")] {
            _ = try await kernel.addUser(NewUser(username: username, role: role, password: Self.password), by: .installOperator, requestID: "t")
        }
    }

    var application: some ApplicationProtocol {
        Application(router: buildRouter(kernel: kernel))
    }

    func test<T: Sendable>(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        try await application.test(.router, body)
    }
}

extension TestClientProtocol {
    func json(_ uri: String, _ method: HTTPRequest.Method, token: String? = nil, body: String? = nil, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        if body != nil { headers[.contentType] = "application/json" }
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    func signIn(_ username: String, password: String = HTTPFixture.password) async throws -> String {
        let response = try await json("/api/v1/sessions", .post, body: #"{"username":"\#(username)","password":"\#(password)"}"#)
        let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
        return object?["token"] as? String ?? ""
    }
}

extension TestResponse {
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }
}
