import AmanaCore
import Foundation
import Testing
@testable import Kernel

@Suite("Sign-in, sessions and lockout")
struct SignInTests {
    @Test func signInGivesATokenThatAuthenticatesUntilSignOut() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let (token, actor) = try await f.signIn("  AMAL ")
        #expect(actor.username == "amal")
        #expect(token.count == 43)
        #expect(try await f.kernel.authenticate(token: token).userID == actor.userID)
        try await f.kernel.signOut(token: token, requestID: "t")
        await #expect(throws: AmanaError.unauthenticated) { try await f.kernel.authenticate(token: token) }
        #expect(try await f.auditEntries("session.create").last?.draft.outcome == .success)
        #expect(try await f.auditEntries("session.delete").count == 1)
    }

    @Test func unknownUserAndWrongPasswordAreIndistinguishable() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let wrong = await #expect(throws: AmanaError.self) { try await f.kernel.signIn(username: "amal", password: "not the password", requestID: "t") }
        let unknown = await #expect(throws: AmanaError.self) { try await f.kernel.signIn(username: "nobody", password: "not the password", requestID: "t") }
        #expect(wrong != nil && wrong == unknown)
        #expect(try await f.auditEntries("session.create").allSatisfy { $0.draft.outcome == .failed && !$0.draft.detail.contains("password") })
    }

    @Test(arguments: ["amal", "ghost"])
    func fiveFailuresLockTheUsernameForFifteenMinutes(username: String) async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        for attempt in 1...5 {
            let error = await #expect(throws: AmanaError.self) { try await f.kernel.signIn(username: username, password: "wrong password \(attempt)", requestID: "t") }
            #expect(error?.kind == (attempt < 5 ? .unauthenticated : .locked))
        }
        // Even the right password is refused while locked, and says when to retry.
        let locked = await #expect(throws: AmanaError.self) { try await f.kernel.signIn(username: username, password: KernelFixture.password, requestID: "t") }
        #expect(locked?.kind == .locked)
        #expect(locked?.retryAfterSeconds == 15 * 60)
        f.clock.advance(by: 15 * 60 + 1)
        if username == "amal" {
            _ = try await f.signIn("amal")
        } else {
            let after = await #expect(throws: AmanaError.self) { try await f.kernel.signIn(username: username, password: "x", requestID: "t") }
            #expect(after?.kind == .unauthenticated)
        }
    }

    @Test func aSuccessfulSignInClearsTheFailureCount() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        for _ in 1...4 { _ = try? await f.kernel.signIn(username: "amal", password: "wrong password", requestID: "t") }
        _ = try await f.signIn("amal")
        for _ in 1...4 { _ = try? await f.kernel.signIn(username: "amal", password: "wrong password", requestID: "t") }
        _ = try await f.signIn("amal")
    }

    @Test func anIdleSessionEnds() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let (token, _) = try await f.signIn("amal")
        f.clock.advance(by: 29 * 60)
        _ = try await f.kernel.authenticate(token: token)  // activity refreshes the idle clock
        f.clock.advance(by: 29 * 60)
        _ = try await f.kernel.authenticate(token: token)
        f.clock.advance(by: 31 * 60)
        await #expect(throws: AmanaError.unauthenticated) { try await f.kernel.authenticate(token: token) }
    }

    @Test func anActiveSessionStillEndsAfterTwelveHours() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let (token, _) = try await f.signIn("amal")
        for _ in 0..<35 {
            f.clock.advance(by: 20 * 60)
            _ = try await f.kernel.authenticate(token: token)
        }
        f.clock.advance(by: 61 * 60)  // 12 h 1 min after sign-in
        await #expect(throws: AmanaError.unauthenticated) { try await f.kernel.authenticate(token: token) }
    }

    @Test func disablingAUserEndsEverySessionAndBlocksSignIn() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let first = try await f.signIn("amal"), second = try await f.signIn("amal")
        _ = try await f.kernel.disableUser(username: "amal", by: .installOperator, requestID: "t")
        for token in [first.token, second.token] {
            await #expect(throws: AmanaError.unauthenticated) { try await f.kernel.authenticate(token: token) }
        }
        let error = await #expect(throws: AmanaError.self) { try await f.signIn("amal") }
        #expect(error?.code == "sign-in-failed")
    }

    @Test func changingThePasswordEndsEverySession() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let (token, actor) = try await f.signIn("amal")
        let wrong = await #expect(throws: AmanaError.self) {
            try await f.kernel.changePassword(actor: actor, current: "not it at all", new: "another long password", requestID: "t")
        }
        #expect(wrong?.pointer == "/current_password")
        try await f.kernel.changePassword(actor: actor, current: KernelFixture.password, new: "another long password", requestID: "t")
        await #expect(throws: AmanaError.unauthenticated) { try await f.kernel.authenticate(token: token) }
        _ = try await f.kernel.signIn(username: "amal", password: "another long password", requestID: "t")
    }

    @Test(arguments: ["", "short", String(repeating: "x", count: 43), "not-base64-!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"])
    func forgedTokensAreRefused(token: String) async throws {
        let f = try await KernelFixture()
        await #expect(throws: AmanaError.unauthenticated) { try await f.kernel.authenticate(token: token) }
    }
}
