import Foundation
import HTTPTypes
public import Hummingbird
import NIOCore
import SealPipeline
import SealStatus

/// `GET /audit/v1/checkpoints[?limit=N]` (no login): the signed usage-log checkpoints, oldest first, as a
/// ``CheckpointList``; each carries its own signature, so the list itself is not signed.
public func addCheckpointRoutes<Context: RequestContext>(to router: Router<Context>, database: ServerDatabase) {
    router.get("/audit/v1/checkpoints") { request, _ -> Response in
        let limit = request.uri.queryParameters.get("limit").flatMap { Int($0) }.map { max(1, $0) }
        let stored: [StoredCheckpoint]
        do {
            stored = try await database.withConnection { connection in
                try UsageCheckpointStore().all(limit: limit, on: connection)
            }
        } catch {
            return JSONResponse.error(.serviceUnavailable, code: "databaseFailed", "the checkpoints cannot be read")
        }
        do {
            let body = try CheckpointList(checkpoints: stored.map(PublishedCheckpoint.init)).encoded()
            var headers: HTTPFields = [:]
            headers[.cacheControl] = "no-cache"
            return JSONResponse.make(.ok, body, headers: headers)
        } catch {
            return JSONResponse.error(.internalServerError, code: "encodingFailed", "the checkpoints cannot be encoded")
        }
    }
}
