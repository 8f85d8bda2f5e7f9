import AmanaCore
import Foundation
import VaultSodium

/// A transfer package as a file: who sends it to whom, the case sealed to the
/// receiver's public key (libsodium sealed box), and the sender's Ed25519
/// signature over all of it. Only the receiving install can open it; any change
/// to any byte, or a package addressed to another install, is refused.
struct TransferEnvelope: Codable, Equatable {
    static let format = "amana-transfer-v1"

    var format: String
    var packageID: String
    var sender: String
    var recipient: String
    var createdAt: String
    /// The sealed payload, base64url.
    var sealed: String
    /// The sender's signature of ``signedBytes``, base64url.
    var signature: String

    enum CodingKeys: String, CodingKey {
        case format, sender, recipient, sealed, signature
        case packageID = "package_id", createdAt = "created_at"
    }

    /// Every field but the signature, each on its own line: what the signature covers.
    var signedBytes: [UInt8] { Array([format, packageID, sender, recipient, createdAt, sealed].joined(separator: "\n").utf8) }

    /// What a receipt names the package by: a digest of its signed content and signature,
    /// the same however the file's spaces or line ends were changed on the way.
    var digest: String { InstallIdentity.digest(signedBytes + Array(signature.utf8)) }

    func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? Data())
    }
}

/// What a package carries, sealed: the case's type and the forms shared, as they were answered.
struct TransferPayload: Codable {
    struct Form: Codable {
        var form: String
        var entry: Int
        var formVersion: Int
        var values: [String: JSONValue]
    }

    /// Repeated inside the seal, so that a sealed payload cannot be moved under another
    /// envelope, nor re-signed by another install as its own.
    var packageID: String
    var sender: String
    var recipient: String
    var caseType: String
    var senderOrganisation: String
    var reason: String?
    var forms: [Form]
}

/// The receiving install's signed word that it imported a package.
struct TransferReceipt: Codable, Equatable {
    static let format = "amana-transfer-receipt-v1"

    var format: String
    var packageID: String
    /// The package's ``TransferEnvelope/digest``.
    var packageDigest: String
    var receiver: String
    var receivedAt: String
    var signature: String

    enum CodingKeys: String, CodingKey {
        case format, receiver, signature
        case packageID = "package_id", packageDigest = "package_digest", receivedAt = "received_at"
    }

    var signedBytes: [UInt8] { Array([format, packageID, packageDigest, receiver, receivedAt].joined(separator: "\n").utf8) }

    func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? Data())
    }
}
