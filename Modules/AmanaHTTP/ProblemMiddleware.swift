import AmanaCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

typealias AmanaErrorAlias = AmanaError

/// The outermost middleware: gives every response its request id, and turns
/// every error into `application/problem+json` (RFC 9457) with a stable
/// `type`, once, here. Messages come from ``AmanaError`` and never carry
/// sensitive values; anything unexpected becomes a bare 500.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = AmanaRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            var problem = Problem(error)
            if let error = error as? HTTPError { problem.headers = error.headers }
            if problem.status.code >= 500 {
                // The type only: an error's text could echo request data.
                context.logger.error("request failed", metadata: ["request_id": "\(context.requestID)", "error": "\(type(of: error))", "code": "\(problem.code)"])
            }
            response = problem.response(requestID: context.requestID)
        }
        response.headers[.requestID] = context.requestID
        // A route's own stricter value (an attachment's CSP) stays.
        for (name, value) in SecurityHeaders.all where response.headers[name] == nil { response.headers[name] = value }
        return response
    }
}

/// Set on every response, errors included. There are no CORS headers at all: a
/// browser page from another origin cannot read any answer (CORS is off, and
/// there is no setting to turn it on). HSTS belongs to whatever terminates TLS
/// (docs/operations.md).
enum SecurityHeaders {
    static let all: [(HTTPField.Name, String)] = [
        // Case data must not stay in a browser's or a proxy's cache.
        (.cacheControl, "no-store"),
        (.xContentTypeOptions, "nosniff"),
        // Nothing to run, nothing to embed: the only HTML is the monthly report (inline styles, inline SVG).
        (.contentSecurityPolicy, "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox"),
        (.xFrameOptions, "DENY"),
        // A case URL (it holds a case id) must not leak to another site through a link.
        (.referrerPolicy, "no-referrer"),
        (.crossOriginResourcePolicy, "same-origin"),
        (.crossOriginOpenerPolicy, "same-origin"),
    ]
}

extension HTTPField.Name {
    static let requestID = Self("X-Request-ID")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let crossOriginOpenerPolicy = Self("Cross-Origin-Opener-Policy")!
}

/// An RFC 9457 problem document.
struct Problem {
    var status: HTTPResponse.Status
    var code: String
    var title: String
    var detail: String
    var pointer: String?
    var retryAfter: Int?
    var fieldProblems: [FieldProblem] = []
    /// Headers the error carries (`Allow` with a 405).
    var headers: HTTPFields = [:]

    init(_ error: any Error) {
        switch error {
        case let error as AmanaError:
            status = Problem.status(for: error)
            code = error.code
            detail = error.message
            pointer = error.pointer
            retryAfter = error.retryAfterSeconds
            fieldProblems = error.fieldProblems
        case let error as DecodingError:
            status = .badRequest
            code = "body-invalid"
            (detail, pointer) = Problem.describe(error)
        case let error as any HTTPResponseError:
            status = error.status
            code = Problem.code(for: error.status)
            detail = Problem.detail(for: error.status)
        default:
            status = .internalServerError
            code = "internal"
            detail = "Something went wrong inside Amana; nothing was changed."
        }
        title = status.reasonPhrase
    }

    static func status(for error: AmanaError) -> HTTPResponse.Status {
        switch error.kind {
        case .invalidInput: .unprocessableContent
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        // A write that named no version at all: 428, so clients learn to send If-Match.
        case .preconditionFailed: error.code == "version-required" ? .init(code: 428, reasonPhrase: "Precondition Required") : .preconditionFailed
        case .locked, .rateLimited: .tooManyRequests
        case .tooLarge: .contentTooLarge
        case .unsupportedType: .unsupportedMediaType
        case .storageUnavailable: error.code == "store-full" ? .init(code: 507, reasonPhrase: "Insufficient Storage") : .serviceUnavailable
        case .installProblem, .internalFailure: .internalServerError
        }
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "not-found"
        case .methodNotAllowed: "method-not-allowed"
        case .contentTooLarge: "request-too-large"
        case .unsupportedMediaType: "unsupported-media-type"
        case .badRequest: "bad-request"
        default: "http-\(status.code)"
        }
    }

    static func detail(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "Not found."
        case .methodNotAllowed: "This method is not allowed here."
        case .contentTooLarge: "The request body is too large."
        case .unsupportedMediaType: "Send the body as application/json."
        default: status.reasonPhrase
        }
    }

    /// Names the field a JSON body got wrong, as a JSON pointer.
    static func describe(_ error: DecodingError) -> (String, String?) {
        // Keys arrive converted from snake_case; name them as the client sent them.
        func pointer(_ path: [any CodingKey]) -> String {
            "/" + path.map { $0.intValue.map(String.init) ?? snakeCase($0.stringValue) }.joined(separator: "/")
        }
        func snakeCase(_ key: String) -> String {
            key.reduce(into: "") { out, character in
                if character.isUppercase { out += "_" + character.lowercased() } else { out.append(character) }
            }
        }
        switch error {
        case .keyNotFound(let key, let context):
            return ("The field '\(snakeCase(key.stringValue))' is required.", pointer(context.codingPath + [key]))
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return ("The field has the wrong type: \(context.debugDescription)", pointer(context.codingPath))
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? ("The body is not valid JSON.", nil)
                : ("The field's value is not valid: \(context.debugDescription)", pointer(context.codingPath))
        @unknown default:
            return ("The body could not be read.", nil)
        }
    }

    func response(requestID: String) -> Response {
        var body: [String: Any] = [
            "type": "urn:amana:problem:\(code)",
            "title": title,
            "status": Int(status.code),
            "detail": detail,
            "code": code,
            "request_id": requestID,
        ]
        if !fieldProblems.isEmpty {
            // Every problem at once, each at its field (or, for a blocked transition, each unmet guard).
            body["invalid_params"] = fieldProblems.map { ["name": $0.path, "reason": $0.message, "code": $0.code] }
        } else if let pointer, pointer.hasPrefix("/") {
            body["invalid_params"] = [["name": pointer, "reason": detail]]
        }
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        if let retryAfter { headers[.retryAfter] = String(max(1, retryAfter)) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
