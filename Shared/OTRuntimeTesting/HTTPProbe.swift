import AsyncHTTPClient
import Foundation
import NIOCore

/// A GET to a service on loopback (AsyncHTTPClient's shared client): health and metrics checks in tests and
/// benchmarks.
public enum HTTPProbe {
    /// Why a probe failed.
    public enum Failure: Error {
        /// The server does not listen (yet).
        case notListening
        /// Nothing answered on the port.
        case cannotConnect(port: Int)
    }

    /// GETs `path` from `127.0.0.1:port`.
    public static func get(port: Int, path: String, timeout: Duration = .seconds(10)) async throws -> (
        status: Int, body: String
    ) {
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"),
                timeout: .milliseconds(Int64(timeout.components.seconds * 1000)))
        } catch {
            throw Failure.cannotConnect(port: port)
        }
        let body = try await response.body.collect(upTo: 64 << 20)
        return (Int(response.status.code), String(buffer: body))
    }
}

extension HTTPProbe {
    /// The sum of a metric's samples over all its labels in Prometheus text (`/metrics`), 0 when absent.
    public static func metricSum(_ name: String, in metrics: String) -> Double {
        metrics.split(separator: "\n").filter { $0.hasPrefix(name + "{") || $0.hasPrefix(name + " ") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
    }
}
