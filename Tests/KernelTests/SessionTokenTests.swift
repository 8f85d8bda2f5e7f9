import AmanaCore
import Foundation
@testable import Kernel
import Testing

/// A session token is read on every request: the hand-written base64url must agree with
/// Foundation's base64 and refuse anything that is not a token.
@Suite("Session tokens on the wire")
struct SessionTokenTests {
    func foundationBase64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    @Test func tokensAreWrittenAndReadAsBase64URL() {
        var random = SplitMix64(seed: 2_026_113_0)
        for _ in 0..<2_000 {
            let bytes = (0..<32).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let token = SessionToken.encode(bytes)
            #expect(token == foundationBase64URL(bytes))
            #expect(SessionToken.decode(token) == bytes)
        }
        #expect(SessionToken.encode([0xFB, 0xFF]) == "-_8")
    }

    /// Transfer packages and receipts share the writer, at every length.
    @Test func anyLengthIsWrittenAsFoundationWritesIt() {
        var random = SplitMix64(seed: 41)
        for count in 0..<200 {
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            #expect(Base64URL.encode(bytes) == foundationBase64URL(bytes))
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
            #expect(Base64URL.decode(Base64URL.encode(bytes), byteCount: count) == bytes)
        }
    }

    @Test func anythingElseIsNotAToken() {
        let token = SessionToken.encode(Array(repeating: 0xAB, count: 32))
        #expect(SessionToken.decode(String(token.dropLast())) == nil)
        #expect(SessionToken.decode(token + "A") == nil)
        #expect(SessionToken.decode(String(token.dropLast()) + "=") == nil)
        #expect(SessionToken.decode(String(token.dropLast()) + "+") == nil)
        #expect(SessionToken.decode(String(token.dropLast(2)) + "é") == nil)
        // The last character carries two bits of padding, which are zero in a token.
        let zeros = String(repeating: "A", count: 42)
        #expect(SessionToken.decode(zeros + "E") == Array(repeating: 0, count: 31) + [1])
        #expect(SessionToken.decode(zeros + "B") == nil)
        #expect(SessionToken.decode(zeros + "C") == nil)
    }
}
