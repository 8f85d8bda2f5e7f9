import AmanaCore
import Foundation
import HTTPTypes
import Hummingbird
import Kernel

/// Files on a case. The upload's body is the file itself, its name in
/// `Content-Disposition` (never in the URL, where proxies would log it). The
/// download is always a download: never rendered by a browser, never sniffed.
struct AttachmentRoutes {
    let kernel: Kernel

    struct AttachmentList: Encodable { var attachments: [AttachmentView] }

    func register(on group: RouterGroup<AmanaRequestContext>) {
        group.post("/cases/{id}/attachments") { request, context in
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: kernel.config.maxAttachmentBytes)
            } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
                throw kernel.attachmentTooLargeError
            }
            let view = try await kernel.addAttachment(
                caseID: try context.parameters.require("id"), name: request.headers[.contentDisposition].flatMap(Self.fileName),
                declaredType: request.headers[.contentType], content: Array(buffer: buffer),
                actor: try context.requireActor(), requestID: context.requestID)
            return try JSONBody.response(view, status: .created)
        }
        group.get("/cases/{id}/attachments") { _, context in
            let attachments = try await kernel.attachments(caseID: try context.parameters.require("id"), actor: try context.requireActor(), requestID: context.requestID)
            return try JSONBody.response(AttachmentList(attachments: attachments))
        }
        group.get("/cases/{id}/attachments/{attachment}") { _, context in
            let (view, content) = try await kernel.readAttachment(
                caseID: try context.parameters.require("id"), attachmentID: try context.parameters.require("attachment"),
                actor: try context.requireActor(), requestID: context.requestID)
            return Response(
                status: .ok,
                headers: [
                    .contentType: view.contentType,
                    .contentDisposition: "attachment; filename*=UTF-8''\(Self.percentEncoded(view.name))",
                    .contentSecurityPolicy: "sandbox; default-src 'none'",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: content)))
        }
    }

    /// The file name in `Content-Disposition: attachment; filename="a.pdf"`
    /// (or `filename*=UTF-8''a%20b.pdf`, which wins, as RFC 6266 says).
    static func fileName(_ header: String) -> String? {
        var plain: String?
        for part in header.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let lower = part.lowercased()
            if lower.hasPrefix("filename*="), let quote = part.range(of: "''") {
                return String(part[quote.upperBound...]).removingPercentEncoding
            }
            if lower.hasPrefix("filename=") {
                plain = String(part.dropFirst("filename=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return plain
    }

    static func percentEncoded(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")) ?? "attachment"
    }
}

