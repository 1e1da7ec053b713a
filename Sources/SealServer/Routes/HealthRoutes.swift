import HTTPTypes
public import Hummingbird
import Postgres
import NIOCore

/// `GET /healthz` (the process serves; no login, no database) and `GET /readyz` (the database answers).
public func addHealthRoutes<Context: RequestContext>(to router: Router<Context>, database: ServerDatabase) {
    router.get("/healthz") { _, _ -> Response in
        JSONResponse.make(.ok, #"{"status":"ok"}"#)
    }
    router.get("/readyz") { _, _ -> Response in
        do {
            _ = try await database.withConnection { connection in try connection.query("SELECT 1").count }
            return JSONResponse.make(.ok, #"{"database":"ok","status":"ok"}"#)
        } catch {
            return JSONResponse.make(.serviceUnavailable, #"{"database":"unreachable","status":"unavailable"}"#)
        }
    }
}
