public import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOHTTP1

/// Reads a published checkpoint list from a URL (`http(s)://…/audit/v1/checkpoints`, or a server's base URL) or a
/// file.
public enum CheckpointSource {
    public static func load(_ location: String, httpClient: HTTPClient = .shared) throws(StatusError) -> CheckpointList {
        let bytes: [UInt8]
        if location.hasPrefix("http://") || location.hasPrefix("https://") {
            var url = location
            if !url.contains(StatusHTTP.checkpointsPath) {
                while url.hasSuffix("/") { url.removeLast() }
                url += StatusHTTP.checkpointsPath
            }
            bytes = try fetch(url, httpClient: httpClient)
        } else {
            do {
                bytes = Array(try Data(contentsOf: URL(fileURLWithPath: location)))
            } catch {
                throw StatusError(.checkpointsUnreadable, "cannot read the checkpoint file \(location)")
            }
        }
        do {
            return try CheckpointList.decode(bytes)
        } catch {
            throw StatusError(
                .malformedDocument, "\(location) is not a checkpoint list (GET /audit/v1/checkpoints of a serve process)")
        }
    }

    private static func fetch(_ url: String, httpClient: HTTPClient) throws(StatusError) -> [UInt8] {
        let result = Blocking.run { () -> Result<(UInt, [UInt8]), StatusError> in
            do {
                let response = try await httpClient.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
                var buffer = try await response.body.collect(upTo: 64 << 20)
                return .success((response.status.code, buffer.readBytes(length: buffer.readableBytes) ?? []))
            } catch {
                return .failure(StatusError(.checkpointsUnreadable, "cannot fetch \(url): the server is unreachable"))
            }
        }
        switch result {
        case .failure(let error): throw error
        case .success(let (status, body)):
            guard status == 200 else { throw StatusError(.checkpointsUnreadable, "\(url) answered HTTP \(status)") }
            return body
        }
    }
}
