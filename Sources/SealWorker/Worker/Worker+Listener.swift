import Foundation
import Logging
import Postgres
import SealQueue

/// The listener thread: LISTEN for new jobs (wakes the fetcher) and cancellations (flags running jobs).
extension Worker {
    /// LISTENs for new jobs (wakes the fetcher) and cancellations (flags the running job's context).
    func listenLoop() {
        let listener = ManagedConnection(connect)
        var backoff = 0.05
        while !loopsFinished {
            do {
                let notifications = try listener.use { connection -> [PGNotification] in
                    if connection.listenedChannels.isEmpty {
                        try connection.listen("sealpress_jobs")
                        try connection.listen("sealpress_cancel")
                        // Anything enqueued while we were not listening: look once.
                        shared.withLock { $0.notified = true }
                        wake.signal()
                    }
                    return try connection.waitForNotifications(timeout: .milliseconds(200))
                }
                backoff = 0.05
                var wakeFetcher = false
                for note in notifications {
                    if note.channel == "sealpress_jobs" {
                        if options.queues == nil || options.queues!.contains(note.payload) { wakeFetcher = true }
                    } else if note.channel == "sealpress_cancel", let jobID = Int64(note.payload) {
                        let context = shared.withLock { s -> JobContext? in
                            guard let context = s.running[jobID]?.context else {
                                // Possibly claimed here a moment ago and not started yet: remember it.
                                if s.earlyCancels.count > 10_000 { s.earlyCancels.removeAll() }
                                s.earlyCancels.insert(jobID)
                                return nil
                            }
                            return context
                        }
                        if let context {
                            context.cancel()
                            logger.info("job cancelled while running", metadata: ["job": "\(jobID)"])
                        }
                    }
                }
                if wakeFetcher {
                    shared.withLock { $0.notified = true }
                    wake.signal()
                }
            } catch {
                if !loopsFinished { logger.debug("listener error", metadata: ["error": "\(error)"]) }
                listener.drop()
                maintenanceWake.wait(seconds: backoff)
                backoff = min(backoff * 2, 2)
            }
        }
        listener.drop()
    }
}
