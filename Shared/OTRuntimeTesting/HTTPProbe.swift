import AsyncHTTPClient
import Foundation
import NIOCore

/// A GET to a service on loopback (AsyncHTTPClient's shared client): health and metrics checks in tests and
/// benchmarks.
public enum HTTPProbe {
    /// Why a probe failed.
    public enum Failure: Error, CustomStringConvertible {
        /// The server does not listen (yet).
        case notListening
        /// Nothing answered on the port.
        case cannotConnect(port: Int)
        /// Something already answers on a port a service about to start is given.
        case portInUse(port: Int)

        public var description: String {
            switch self {
            case .notListening: "the server does not listen"
            case .cannotConnect(let port): "nothing answered on 127.0.0.1:\(port)"
            case .portInUse(let port):
                "something already answers on 127.0.0.1:\(port) (a service left from an earlier run?): stop it first"
            }
        }
    }

    /// Throws ``Failure/portInUse(port:)`` when something answers on `port`: a service left running from an earlier
    /// run would answer a benchmark's probes in place of the one it starts, and its figures would be the old one's.
    public static func requireFree(port: Int) async throws {
        if (try? await get(port: port, path: "/health/live", timeout: .seconds(1))) != nil {
            throw Failure.portInUse(port: port)
        }
    }

    /// GETs `path` from `127.0.0.1:port`.
    public static func get(port: Int, path: String, timeout: Duration = .seconds(10)) async throws -> (
        status: Int, body: String
    ) {
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"),
                timeout: TimeAmount(timeout))
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
