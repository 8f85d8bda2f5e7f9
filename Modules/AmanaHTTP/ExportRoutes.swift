import AmanaCore
import Foundation
import Hummingbird
import Kernel

/// Exports of individual records (`case.export`): a file sealed with a passphrase, or plain JSON on purpose.
struct ExportRoutes {
    let kernel: Kernel

    struct ExportBody: Decodable {
        var caseIds: [String]
        var forms: [String]?
        var purpose: String
        var passphrase: String?
        var unencrypted: Bool?
    }

    func register(on group: RouterGroup<AmanaRequestContext>) {
        group.post("/exports") { request, context in
            let body = try await JSONBody.decode(ExportBody.self, from: request, limit: kernel.config.maxBodyBytes)
            guard let purpose = ExportPurpose(rawValue: body.purpose) else {
                throw AmanaError.invalid(
                    "purpose", "Say why: \(ExportPurpose.allCases.map(\.rawValue).joined(separator: ", ")).", pointer: "/purpose")
            }
            let file = try await kernel.exportRecords(
                ExportRequest(caseIDs: body.caseIds, forms: body.forms ?? [], purpose: purpose, passphrase: body.passphrase, unencrypted: body.unencrypted ?? false),
                actor: try context.requireActor(), requestID: context.requestID)
            let (type, name) = file.encrypted ? ("application/octet-stream", "amana-export.sealed") : ("application/json", "amana-export.json")
            return Response(
                status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(name)\"", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
        }
    }
}
