public import Foundation
import Synchronization

/// A process-wide registry of Prometheus metrics: counters, gauges and histograms with labels.
///
/// Label values must be bounded sets (kind, queue, state, reason code, seal name, format) — never document
/// names, principals' personal data or free text.
public final class MetricsRegistry: Sendable {
    public static let shared = MetricsRegistry()

    private struct Family {
        var help: String
        var type: String
        var buckets: [Double]
        var series: [[String]: Series] = [:]
        var labelNames: [String]
    }

    private struct Series {
        var value: Double = 0
        var bucketCounts: [UInt64] = []
        var sum: Double = 0
        var count: UInt64 = 0
    }

    private let families = Mutex<[String: Family]>([:])

    public init() {}

    /// Latency buckets in seconds, from 1 ms to 60 s.
    public static let defaultBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    private func ensure(_ name: String, help: String, type: String, labels: [String], buckets: [Double] = []) {
        families.withLock { families in
            if families[name] == nil {
                families[name] = Family(help: help, type: type, buckets: buckets, labelNames: labels)
            }
        }
    }

    /// Declares a counter so it renders (at zero) before it is first incremented.
    public func declareCounter(_ name: String, help: String, labels: [String] = []) {
        ensure(name, help: help, type: "counter", labels: labels)
    }

    public func declareGauge(_ name: String, help: String, labels: [String] = []) {
        ensure(name, help: help, type: "gauge", labels: labels)
    }

    public func declareHistogram(_ name: String, help: String, labels: [String] = [], buckets: [Double] = defaultBuckets) {
        ensure(name, help: help, type: "histogram", labels: labels, buckets: buckets)
    }

    public func increment(_ name: String, by amount: Double = 1, labels: [String] = []) {
        families.withLock { families in
            families[name, default: Family(help: name, type: "counter", buckets: [], labelNames: [])]
                .series[labels, default: Series()].value += amount
        }
    }

    public func set(_ name: String, to value: Double, labels: [String] = []) {
        families.withLock { families in
            families[name, default: Family(help: name, type: "gauge", buckets: [], labelNames: [])]
                .series[labels, default: Series()].value = value
        }
    }

    /// Replaces every series of a gauge (e.g. jobs by state, read from the database).
    public func replaceGauge(_ name: String, with values: [[String]: Double]) {
        families.withLock { families in
            guard var family = families[name] else { return }
            family.series = values.mapValues { Series(value: $0) }
            families[name] = family
        }
    }

    public func observe(_ name: String, _ value: Double, labels: [String] = []) {
        families.withLock { families in
            guard var family = families[name], family.type == "histogram" else { return }
            var series = family.series[labels] ?? Series(bucketCounts: Array(repeating: 0, count: family.buckets.count))
            for (index, bound) in family.buckets.enumerated() where value <= bound {
                series.bucketCounts[index] += 1
            }
            series.sum += value
            series.count += 1
            family.series[labels] = series
            families[name] = family
        }
    }

    /// The current value of a counter or gauge series (tests, status output).
    public func value(_ name: String, labels: [String] = []) -> Double {
        families.withLock { $0[name]?.series[labels]?.value ?? 0 }
    }

    /// Prometheus text exposition format 0.0.4.
    public func render() -> String {
        let snapshot = families.withLock { $0 }
        var out = ""
        for name in snapshot.keys.sorted() {
            let family = snapshot[name]!
            out += "# HELP \(name) \(family.help)\n# TYPE \(name) \(family.type)\n"
            for labels in family.series.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                let series = family.series[labels]!
                let pairs = zip(family.labelNames, labels).map { "\($0)=\"\(Self.escape($1))\"" }
                if family.type == "histogram" {
                    for (index, bound) in family.buckets.enumerated() {
                        let le = (pairs + ["le=\"\(Self.number(bound))\""]).joined(separator: ",")
                        out += "\(name)_bucket{\(le)} \(series.bucketCounts[index])\n"
                    }
                    let inf = (pairs + ["le=\"+Inf\""]).joined(separator: ",")
                    out += "\(name)_bucket{\(inf)} \(series.count)\n"
                    let suffix = pairs.isEmpty ? "" : "{\(pairs.joined(separator: ","))}"
                    out += "\(name)_sum\(suffix) \(Self.number(series.sum))\n\(name)_count\(suffix) \(series.count)\n"
                } else {
                    let suffix = pairs.isEmpty ? "" : "{\(pairs.joined(separator: ","))}"
                    out += "\(name)\(suffix) \(Self.number(series.value))\n"
                }
            }
        }
        return out
    }

    private static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    private static func number(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
