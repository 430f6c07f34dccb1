import Hummingbird
import Logging
import Synchronization

/// Serves `/health/live`, `/health/ready` and Prometheus `/metrics` over HTTP.
struct HealthServer: Sendable {
    /// The address to bind (``WorkerConfiguration/httpHost``).
    let host: String
    let port: Int
    let metrics: WorkerMetrics
    let lifecycle: WorkerLifecycle
    let logger: Logger
    /// Called with the port actually bound (useful with port 0).
    let onListening: @Sendable (Int) async -> Void

    func makeApplication() -> some ApplicationProtocol {
        let router = Router()
        router.get("/health/live") { _, _ in "ok\n" }
        router.get("/health/ready") { [lifecycle] _, _ -> Response in
            let state = lifecycle.current
            let (ready, reason) = (state.isReady, state.reason)
            return Response(
                status: ready ? .ok : .serviceUnavailable,
                body: .init(byteBuffer: ByteBuffer(string: ready ? "ready\n" : "not ready: \(reason)\n")))
        }
        router.get("/metrics") { [metrics] _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "ot-worker"),
            onServerRunning: { [onListening] channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}
