import AmanaCore
import Foundation
import Hummingbird
import Kernel

/// The service directory. Reading is for everyone doing casework; adding,
/// changing and importing for administrators. A CSV import is all or nothing.
struct ServiceRoutes {
    let kernel: Kernel

    struct ServiceList: Encodable { var services: [ServiceEntry] }

    func register(on group: RouterGroup<AmanaRequestContext>) {
        group.get("/services") { request, context in
            let query = request.uri.queryParameters
            let profile = try query.get("profile").map { code throws(AmanaError) in try ServiceProfile(code: code) }
            let filter = ServiceFilter(
                serviceType: query.get("type"), profile: profile, location: query.get("location"), text: query.get("q"),
                includeInactive: try QueryFlag.read(query, "inactive"))
            return try JSONBody.response(ServiceList(services: try await kernel.services(filter, actor: try context.requireActor(), requestID: context.requestID)))
        }
        group.post("/services") { request, context in
            let input = try await JSONBody.decode(ServiceInput.self, from: request, limit: kernel.config.maxBodyBytes)
            let saved = try await kernel.saveService(input, expectVersion: nil, actor: try context.requireActor(), requestID: context.requestID)
            return try CaseRoutes.tagged(saved, version: saved.version, status: .created)
        }
        group.get("/services/export") { _, context in
            let csv = try await kernel.exportServices(actor: try context.requireActor(), requestID: context.requestID)
            return Response(
                status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"services.csv\""],
                body: .init(byteBuffer: ByteBuffer(string: csv)))
        }
        group.post("/services/import") { request, context in
            if let type = request.headers[.contentType], !type.lowercased().hasPrefix("text/csv") { throw HTTPError(.unsupportedMediaType) }
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: kernel.config.maxBodyBytes)
            } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
                throw AmanaError(.tooLarge, code: "request-too-large", "The request body is larger than \(kernel.config.maxBodyBytes) bytes.")
            }
            guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
                throw AmanaError.invalid("csv-encoding", "The CSV file is not UTF-8; save it as CSV UTF-8.")
            }
            return try JSONBody.response(try await kernel.importServices(csv: text, actor: try context.requireActor(), requestID: context.requestID))
        }
        group.get("/services/{service}") { _, context in
            let entry = try await kernel.service(id: try context.parameters.require("service"), actor: try context.requireActor(), requestID: context.requestID)
            return try CaseRoutes.tagged(entry, version: entry.version)
        }
        group.put("/services/{service}") { request, context in
            var input = try await JSONBody.decode(ServiceInput.self, from: request, limit: kernel.config.maxBodyBytes)
            let id = try context.parameters.require("service")
            guard input.id == id else { throw AmanaError.invalid("id", "The body's id is not the one in the path; a service's id does not change.", pointer: "/id") }
            input.id = id
            guard let version = try CaseRoutes.ifMatch(request) else {
                throw AmanaError(.preconditionFailed, code: "version-required", "Say which version of the service you read (If-Match), so that no one else's change is overwritten.")
            }
            let saved = try await kernel.saveService(input, expectVersion: version, actor: try context.requireActor(), requestID: context.requestID)
            return try CaseRoutes.tagged(saved, version: saved.version)
        }
    }
}
