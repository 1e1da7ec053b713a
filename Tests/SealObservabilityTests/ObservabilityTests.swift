import Foundation
import Logging
import Metrics
import SealObservability
import SealTestSupport
import Synchronization
import Testing

@Suite struct ObservabilityTests {
    @Test func prometheusTextHasCountersAndHistograms() {
        let registry = MetricsRegistry()
        registry.declareCounter("sealpress_jobs_completed_total", help: "Jobs completed.", labels: ["kind"])
        registry.declareHistogram("sealpress_job_run_seconds", help: "Run time.", labels: ["kind"], buckets: [0.1, 1])
        registry.increment("sealpress_jobs_completed_total", labels: ["stamp"])
        registry.increment("sealpress_jobs_completed_total", by: 2, labels: ["stamp"])
        registry.observe("sealpress_job_run_seconds", 0.05, labels: ["stamp"])
        registry.observe("sealpress_job_run_seconds", 0.5, labels: ["stamp"])
        let text = registry.render()
        #expect(text.contains("# TYPE sealpress_jobs_completed_total counter"))
        #expect(text.contains("sealpress_jobs_completed_total{kind=\"stamp\"} 3"))
        #expect(text.contains("sealpress_job_run_seconds_bucket{kind=\"stamp\",le=\"0.1\"} 1"))
        // swift-prometheus writes bucket bounds as floats ("1.0"), the form Prometheus 3 normalises `le` to.
        #expect(text.contains("sealpress_job_run_seconds_bucket{kind=\"stamp\",le=\"1.0\"} 2"))
        #expect(text.contains("sealpress_job_run_seconds_bucket{kind=\"stamp\",le=\"+Inf\"} 2"))
        #expect(text.contains("sealpress_job_run_seconds_count{kind=\"stamp\"} 2"))
    }

    @Test func swiftMetricsAPILandsInTheSharedRegistry() {
        MetricsRegistry.bootstrapMetricsSystem()
        MetricsRegistry.bootstrapMetricsSystem()  // a second call is harmless
        Counter(label: "sealpress_test_swift_metrics_total", dimensions: [("kind", "probe")]).increment(by: 2)
        Metrics.Timer(label: "sealpress_test_swift_metrics_seconds").recordMilliseconds(20)
        let text = MetricsRegistry.shared.render()
        #expect(text.contains("sealpress_test_swift_metrics_total{kind=\"probe\"} 2"))
        #expect(text.contains("sealpress_test_swift_metrics_seconds_count 1"))
    }

    @Test func labelValuesAreEscaped() {
        let registry = MetricsRegistry()
        registry.declareCounter("x_total", help: "x", labels: ["reason"])
        registry.increment("x_total", labels: ["a \"quoted\"\nline"])
        #expect(registry.render().contains(#"x_total{reason="a \"quoted\"\nline"} 1"#))
    }

    @Test func serverAnswersScrapes() throws {
        let registry = MetricsRegistry()
        registry.declareCounter("sealpress_test_total", help: "t")
        let server = try MetricsServer(host: "127.0.0.1", port: 0, registry: registry) {
            registry.increment("sealpress_test_total")
        }
        defer { server.stop() }
        let first = try HTTPGet.get(port: server.port, path: "/metrics")
        let second = try HTTPGet.get(port: server.port, path: "/metrics")
        #expect(first.status == 200)
        #expect(first.body.contains("sealpress_test_total 1"))
        #expect(second.body.contains("sealpress_test_total 2"))
        #expect(try HTTPGet.get(port: server.port, path: "/nope").status == 404)
    }

    @Test func jsonLogLinesParse() throws {
        let lines = Mutex<[String]>([])
        var logger = Logger(label: "sealpress.test") { label in
            JSONLogHandler(label: label) { line in lines.withLock { $0.append(line) } }
        }
        logger.logLevel = .debug
        logger.info("job completed", metadata: ["job": "42", "seal": "bureau"])
        logger.debug("claim", metadata: ["count": .stringConvertible(3)])
        let captured = lines.withLock { $0 }
        #expect(captured.count == 2)
        for line in captured {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["label"] as? String == "sealpress.test")
            #expect(object["ts"] is String)
        }
        let first = try JSONSerialization.jsonObject(with: Data(captured[0].utf8)) as? [String: Any]
        #expect(first?["msg"] as? String == "job completed")
        #expect(first?["job"] as? String == "42")
    }

    @Test func replacedGaugeDropsSeriesThatAreGoneAndRefreshesBeforeEachScrape() throws {
        let registry = MetricsRegistry()
        registry.declareGauge("sealpress_jobs", help: "Jobs.", labels: ["state", "queue"])
        let round = Mutex(0)
        let server = try MetricsServer(host: "127.0.0.1", port: 0, registry: registry) {
            let n = round.withLock { value -> Int in value += 1; return value }
            // First scrape: two queues; second: the "bulk" queue has been pruned away.
            registry.replaceGauge("sealpress_jobs", with: n == 1
                ? [["available", "default"]: 5, ["available", "bulk"]: 7]
                : [["available", "default"]: 2])
        }
        defer { server.stop() }
        let first = try HTTPGet.get(port: server.port, path: "/metrics").body
        #expect(first.contains("sealpress_jobs{state=\"available\",queue=\"bulk\"} 7"))
        #expect(first.contains("sealpress_jobs{state=\"available\",queue=\"default\"} 5"))
        let second = try HTTPGet.get(port: server.port, path: "/metrics").body
        #expect(!second.contains("queue=\"bulk\""))
        #expect(second.contains("sealpress_jobs{state=\"available\",queue=\"default\"} 2"))
        #expect(try HTTPGet.get(port: server.port, path: "/healthz").body == "ok\n")
    }
}
