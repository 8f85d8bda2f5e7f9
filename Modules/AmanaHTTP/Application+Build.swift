import AmanaCore
import Hummingbird
import Kernel
import Logging

/// Builds the HTTP application over a kernel; shared by `amana serve` and the tests.
///
/// - Parameter onListening: called with the port actually bound (useful with port 0).
public func buildApplication(
    kernel: Kernel, host: String, port: Int, logger: Logger = Logger(label: "amana.http"),
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(kernel: kernel),
        configuration: .init(address: .hostname(host, port: port), serverName: "Amana"),
        onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
        logger: logger)
}

/// Every route of the API. The OpenAPI document (``OpenAPIDocument``) lists the same set;
/// a test checks that they agree.
public func buildRouter(kernel: Kernel) -> Router<AmanaRequestContext> {
    let router = Router(context: AmanaRequestContext.self)
    // Assembled once: it gives the 405 table its paths and is what /api/v1/openapi.json serves.
    let document = OpenAPIDocument.combined
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: MethodNotAllowedMiddleware(paths: document["paths"] as? [String: Any] ?? [:]))
    router.add(middleware: RateLimitMiddleware(limiter: RequestRateLimiter(perMinute: kernel.config.requestsPerMinutePerAddress), key: .address, clock: kernel.clock))

    router.get("/health") { _, _ in
        try JSONBody.response(["status": "ok"])
    }
    let openAPI = OpenAPIDocument.served(document, formIDs: kernel.definitions.forms.keys.sorted())
    router.get("/api/v1/openapi.json") { _, _ in
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: openAPI)))
    }
    SessionRoutes(kernel: kernel).register(on: router)

    let authenticated = router.group("/api/v1")
        .add(middleware: AuthenticationMiddleware(kernel: kernel))
        .add(middleware: RateLimitMiddleware(limiter: RequestRateLimiter(perMinute: kernel.config.requestsPerMinutePerUser), key: .user, clock: kernel.clock))
    SessionRoutes(kernel: kernel).registerAuthenticated(on: authenticated)
    UserRoutes(kernel: kernel).register(on: authenticated)
    CaseRoutes(kernel: kernel).register(on: authenticated)
    WorkRoutes(kernel: kernel).register(on: authenticated)
    ConsentRoutes(kernel: kernel).register(on: authenticated)
    ConferenceRoutes(kernel: kernel).register(on: authenticated)
    ServiceRoutes(kernel: kernel).register(on: authenticated)
    StatisticsRoutes(kernel: kernel).register(on: authenticated)
    SupervisionRoutes(kernel: kernel).register(on: authenticated)
    ExportRoutes(kernel: kernel).register(on: authenticated)
    ReferralRoutes(kernel: kernel).register(on: authenticated)
    TransferRoutes(kernel: kernel).register(on: authenticated)
    AttachmentRoutes(kernel: kernel).register(on: authenticated)
    FormRoutes(kernel: kernel).register(on: authenticated)
    return router
}
