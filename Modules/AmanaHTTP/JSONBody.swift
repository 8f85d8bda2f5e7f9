import AmanaCore
import Foundation
import Hummingbird

/// Reading and writing JSON bodies in the ``WireJSON`` format, with a
/// size limit from the install's configuration.
enum JSONBody {
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        if let contentType = request.headers[.contentType], !contentType.lowercased().hasPrefix("application/json") {
            throw HTTPError(.unsupportedMediaType)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw AmanaError(.tooLarge, code: "request-too-large", "The request body is larger than \(limit) bytes.")
        }
        return try WireJSON.decoder().decode(T.self, from: Data(buffer: buffer))
    }

    /// Like ``decode(_:from:limit:)``, but an empty body is nil.
    static func decodeIfPresent<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T? {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw AmanaError(.tooLarge, code: "request-too-large", "The request body is larger than \(limit) bytes.")
        }
        guard buffer.readableBytes > 0 else { return nil }
        if let contentType = request.headers[.contentType], !contentType.lowercased().hasPrefix("application/json") {
            throw HTTPError(.unsupportedMediaType)
        }
        return try WireJSON.decoder().decode(T.self, from: Data(buffer: buffer))
    }

    /// A document built in code, sent with its keys exactly as built (no snake-casing).
    static func response(document: JSONValue, contentType: String = "application/json") -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(bytes: document.encoded())))
    }

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let bytes = try WireJSONEncoder.bytes(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
