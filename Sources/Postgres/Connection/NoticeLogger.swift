import Logging

/// Carries the connection's logger into libpq's notice callback (passed as an unretained context pointer;
/// the connection keeps it alive for as long as libpq may call back).
///
/// `@unchecked Sendable`: immutable after init.
final class NoticeLogger: @unchecked Sendable {
    let logger: Logger
    init(logger: Logger) { self.logger = logger }
}
