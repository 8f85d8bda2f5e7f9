import AmanaCore
import Foundation
import Hummingbird
import Kernel

/// Transfers: to a colleague on this install (on their acceptance), or to
/// another install as a sealed, signed package with a signed receipt back.
struct TransferRoutes {
    let kernel: Kernel

    struct PublicKey: Encodable {
        var key: String
        var fingerprint: String
    }
    struct TransferList: Encodable { var transfers: [TransferView] }
    struct Proposal: Decodable {
        var to: String?
        var team: String?
        var agency: String?
        var reason: String?
    }
    struct Answer: Decodable { var reason: String? }
    struct PackageRequest: Decodable {
        var recipientKey: String
        var recipientName: String
        var forms: [String]?
        var reason: String?
    }
    struct PackageResponse: Encodable {
        var transfer: TransferView
        /// The package file's content, to save byte for byte and send to the receiver.
        var package: String
    }
    struct ImportRequest: Decodable {
        var package: String
        var expectedSender: String
    }
    struct ReceiptRequest: Decodable { var receipt: String }

    func register(on group: RouterGroup<AmanaRequestContext>) {
        group.get("/install/public-key") { _, context in
            _ = try context.requireActor()
            let key = kernel.installPublicKey
            return try JSONBody.response(PublicKey(key: key.text, fingerprint: key.fingerprint))
        }
        group.get("/cases/{id}/transfers") { _, context in
            try JSONBody.response(
                TransferList(transfers: try await kernel.transfers(caseID: try context.parameters.require("id"), actor: try context.requireActor(), requestID: context.requestID)))
        }
        group.post("/cases/{id}/transfers") { request, context in
            let body = try await JSONBody.decode(Proposal.self, from: request, limit: kernel.config.maxBodyBytes)
            let view = try await kernel.proposeTransfer(
                caseID: try context.parameters.require("id"), to: body.to, team: body.team, agencyCode: body.agency, reason: body.reason, actor: try context.requireActor(), requestID: context.requestID)
            return try JSONBody.response(view, status: .created)
        }
        for (verb, accept) in [("accept", true), ("decline", false)] {
            group.post("/cases/{id}/transfers/{transfer}/\(verb)") { request, context in
                // The body is optional: accepting needs no reason.
                let body = try await JSONBody.decodeIfPresent(Answer.self, from: request, limit: kernel.config.maxBodyBytes) ?? Answer(reason: nil)
                return try JSONBody.response(
                    try await kernel.answerTransfer(
                        caseID: try context.parameters.require("id"), transferID: try context.parameters.require("transfer"), accept: accept, reason: body.reason,
                        actor: try context.requireActor(), requestID: context.requestID))
            }
        }
        group.get("/transfers/incoming") { _, context in
            try JSONBody.response(TransferList(transfers: try await kernel.incomingTransfers(actor: try context.requireActor(), requestID: context.requestID)))
        }
        group.post("/cases/{id}/transfers/package") { request, context in
            let body = try await JSONBody.decode(PackageRequest.self, from: request, limit: kernel.config.maxBodyBytes)
            let made = try await kernel.exportTransferPackage(
                caseID: try context.parameters.require("id"), recipientKey: body.recipientKey, recipientName: body.recipientName, forms: body.forms, reason: body.reason,
                actor: try context.requireActor(), requestID: context.requestID)
            return try JSONBody.response(PackageResponse(transfer: made.transfer, package: String(decoding: made.package, as: UTF8.self)), status: .created)
        }
        group.post("/transfers/import") { request, context in
            let body = try await JSONBody.decode(ImportRequest.self, from: request, limit: kernel.config.maxBodyBytes * 4)
            let imported = try await kernel.importTransferPackage(
                Array(body.package.utf8), expectedSender: body.expectedSender, actor: try context.requireActor(), requestID: context.requestID)
            return try JSONBody.response(imported, status: .created)
        }
        group.post("/cases/{id}/transfers/receipt") { request, context in
            let body = try await JSONBody.decode(ReceiptRequest.self, from: request, limit: kernel.config.maxBodyBytes)
            return try JSONBody.response(
                try await kernel.recordTransferReceipt(
                    caseID: try context.parameters.require("id"), receipt: Array(body.receipt.utf8), actor: try context.requireActor(), requestID: context.requestID))
        }
    }
}
