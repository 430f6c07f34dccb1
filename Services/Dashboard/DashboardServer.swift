import Foundation
import HTTPTypes
import Hummingbird
import Logging
import OTContract
import ServiceLifecycle

/// The dashboard's HTTP side: the pages, their JSON, the live stream, its own assets, health and metrics.
///
/// | Path | What |
/// |---|---|
/// | `/`, `/counties/{number}`, `/units/{id}` | the nation, a county, a unit (`?lang=en` for English) |
/// | `/api/national`, `/api/counties/{number}`, `/api/units/{id}` | the same figures as JSON |
/// | `/events` | server-sent events: `update` whenever a statistics record arrives |
/// | `/assets/dashboard.css`, `/assets/live.js` | the stylesheet and the live-update script |
/// | `/health/live`, `/health/ready`, `/metrics` | as every service |
struct DashboardServer: Sendable {
    let board: StatisticsBoard
    let status: DashboardStatus

    /// Every response with a page says where scripts, styles and data may come from: this server only.
    static let securityHeaders: HTTPFields = [
        HTTPField.Name("Content-Security-Policy")!:
            "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "no-referrer",
    ]

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/") { request, _ in self.page(.nation, request) }
        router.get("/counties/:number") { request, context in
            guard let county = try? County(code: context.parameters.get("number") ?? "") else {
                return self.notFound(request)
            }
            return self.page(.county(county), request)
        }
        router.get("/units/:id") { request, context in
            self.page(.unit(Self.unitID(context)), request)
        }
        router.get("/api/national") { _, _ in try self.json(.nation) }
        router.get("/api/counties/:number") { _, context in
            guard let county = try? County(code: context.parameters.get("number") ?? "") else {
                return Self.plain(.notFound, "no such county\n")
            }
            return try self.json(.county(county))
        }
        router.get("/api/units/:id") { _, context in try self.json(.unit(Self.unitID(context))) }
        router.get("/events") { _, _ in self.events() }
        router.get("/assets/dashboard.css") { _, _ in
            Self.asset(DashboardAssets.stylesheet, type: "text/css; charset=utf-8")
        }
        router.get("/assets/live.js") { _, _ in
            Self.asset(DashboardAssets.script, type: "text/javascript; charset=utf-8")
        }
        router.get("/health/live") { _, _ in "ok\n" }
        router.get("/health/ready") { _, _ in
            guard let reason = status.reasonNotReady else { return Self.plain(.ok, "ready\n") }
            return Self.plain(.serviceUnavailable, "not ready: \(reason)\n")
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(bytes: status.exposition())))
        }
        return router
    }

    private func page(_ area: ScopePage.Area, _ request: Request) -> Response {
        let language = DashboardLanguage(query: request.uri.queryParameters.get("lang"))
        guard let page = ScopePage(area, records: board.records) else { return notFound(request) }
        return html(.ok, PageRenderer(language).render(page))
    }

    private func notFound(_ request: Request) -> Response {
        let language = DashboardLanguage(query: request.uri.queryParameters.get("lang"))
        return html(.notFound, PageRenderer(language).renderNotFound(path: request.uri.path))
    }

    private func html(_ status: HTTPResponse.Status, _ document: String) -> Response {
        var headers = Self.securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: document)))
    }

    private func json(_ area: ScopePage.Area) throws -> Response {
        guard let page = ScopePage(area, records: board.records) else {
            return Self.plain(.notFound, "no figures for \(area.path)\n")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(PageJSON(page, text: DashboardLanguage.norwegian.text))
        return Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// `text/event-stream`: a `hello` with the board's version, then an `update` after each change (a burst is
    /// one update for a client that is behind); ends when the client goes or the server shuts down.
    private func events() -> Response {
        let (changes, ending) = board.changes()
        let version = board.version
        var headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "retry: 2000\nevent: hello\ndata: \(version)\n\n"))
                try await withGracefulShutdownHandler {
                    for await version in changes {
                        try await writer.write(ByteBuffer(string: "event: update\ndata: \(version)\n\n"))
                    }
                } onGracefulShutdown: {
                    ending.finish()
                }
                try await writer.finish(nil)
            })
    }

    /// The `:id` of a unit path, percent-decoded.
    private static func unitID(_ context: BasicRequestContext) -> String {
        let raw = context.parameters.get("id") ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    private static func asset(_ content: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "max-age=300"],
            body: .init(byteBuffer: ByteBuffer(string: content)))
    }

    private static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
