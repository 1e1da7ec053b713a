public import Metrics
public import Prometheus
import Synchronization

/// A process-wide set of Prometheus metrics — counters, gauges and histograms with labels — kept in
/// swift-prometheus's ``PrometheusCollectorRegistry``, which also renders the text format for `/metrics`.
///
/// This type adds what SealPress's call sites rely on: families declared once with their help text and label
/// *names* (callers then pass label values only), and gauges whose whole series set is replaced from the
/// database. Code written against swift-metrics (`Counter(label:dimensions:)`, `Timer`, …) lands in the same
/// registry once ``bootstrapMetricsSystem()`` has run (the `/metrics` server does this for ``shared``).
///
/// Label values must be bounded sets (kind, queue, state, reason code, seal name, format) — never document
/// names, principals' personal data or free text.
public final class MetricsRegistry: Sendable {
    public static let shared = MetricsRegistry()

    /// The swift-prometheus registry holding every series.
    public let prometheus: PrometheusCollectorRegistry

    /// A swift-metrics factory that records into ``prometheus``.
    public var factory: PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: prometheus)
        factory.defaultValueHistogramBuckets = Self.defaultBuckets
        factory.defaultDurationHistogramBuckets = Self.defaultBuckets.map { .nanoseconds(Int64($0 * 1e9)) }
        return factory
    }

    private enum Kind { case counter, gauge, histogram }

    private struct Family {
        var help: String
        var kind: Kind
        var labelNames: [String]
        var buckets: [Double]
    }

    private let families = Mutex<[String: Family]>([:])
    /// The series each gauge has now, so ``replaceGauge(_:with:)`` can drop the ones that are gone.
    private let gaugeSeries = Mutex<[String: [[String]: Prometheus.Gauge]]>([:])

    public init() { prometheus = PrometheusCollectorRegistry() }

    /// Latency buckets in seconds, from 1 ms to 60 s.
    public static let defaultBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    private static let bootstrapped = Mutex(false)

    /// Points swift-metrics' global ``MetricsSystem`` at ``shared`` (once per process; later calls do nothing).
    public static func bootstrapMetricsSystem() {
        let first = bootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        if first { MetricsSystem.bootstrap(shared.factory) }
    }

    /// Declares a family; the first declaration of a name wins.
    @discardableResult
    private func declare(_ name: String, help: String, kind: Kind, labels: [String], buckets: [Double] = []) -> Family {
        let family = families.withLock { families in
            if let existing = families[name] { return existing }
            let family = Family(help: help, kind: kind, labelNames: labels, buckets: buckets)
            families[name] = family
            return family
        }
        // A family without labels has one series: make it now so it renders (at zero) before first use.
        if family.labelNames.isEmpty && labels.isEmpty {
            switch family.kind {
            case .counter: _ = prometheus.makeCounter(name: name, help: family.help)
            case .gauge: _ = gauge(name, family, [])
            case .histogram: _ = prometheus.makeValueHistogram(name: name, buckets: family.buckets, help: family.help)
            }
        }
        return family
    }

    /// Declares a counter so it renders (at zero) before it is first incremented.
    public func declareCounter(_ name: String, help: String, labels: [String] = []) {
        declare(name, help: help, kind: .counter, labels: labels)
    }

    public func declareGauge(_ name: String, help: String, labels: [String] = []) {
        declare(name, help: help, kind: .gauge, labels: labels)
    }

    public func declareHistogram(_ name: String, help: String, labels: [String] = [], buckets: [Double] = defaultBuckets) {
        declare(name, help: help, kind: .histogram, labels: labels, buckets: buckets)
    }

    /// Adds to a counter (declared on first use, without labels, when it was not declared).
    public func increment(_ name: String, by amount: Double = 1, labels: [String] = []) {
        let family = families.withLock { $0[name] } ?? declare(name, help: name, kind: .counter, labels: [])
        guard family.kind == .counter else { return }
        let counter = prometheus.makeCounter(name: name, labels: Self.pairs(family, labels), help: family.help)
        if amount == amount.rounded(), abs(amount) < 1e15 {
            counter.increment(by: Int64(amount))
        } else {
            counter.increment(by: amount)
        }
    }

    /// Sets one series of a gauge (declared on first use, without labels, when it was not declared).
    public func set(_ name: String, to value: Double, labels: [String] = []) {
        let family = families.withLock { $0[name] } ?? declare(name, help: name, kind: .gauge, labels: [])
        guard family.kind == .gauge else { return }
        gauge(name, family, labels).set(to: value)
    }

    /// Replaces every series of a declared gauge (e.g. jobs by state, read from the database): series not in
    /// `values` disappear from the output.
    public func replaceGauge(_ name: String, with values: [[String]: Double]) {
        guard let family = families.withLock({ $0[name] }), family.kind == .gauge else { return }
        let gone = gaugeSeries.withLock { series -> [Prometheus.Gauge] in
            let current = series[name] ?? [:]
            series[name] = current.filter { values[$0.key] != nil }
            return current.filter { values[$0.key] == nil }.map(\.value)
        }
        for gauge in gone { prometheus.unregisterGauge(gauge) }
        for (labels, value) in values { gauge(name, family, labels).set(to: value) }
    }

    /// Records one observation in a declared histogram (an undeclared name is ignored).
    public func observe(_ name: String, _ value: Double, labels: [String] = []) {
        guard let family = families.withLock({ $0[name] }), family.kind == .histogram else { return }
        prometheus.makeValueHistogram(
            name: name, labels: Self.pairs(family, labels), buckets: family.buckets, help: family.help
        ).record(value)
    }

    /// Prometheus text exposition format 0.0.4.
    public func render() -> String {
        prometheus.emitToString()
    }

    private func gauge(_ name: String, _ family: Family, _ labels: [String]) -> Prometheus.Gauge {
        let gauge = prometheus.makeGauge(name: name, labels: Self.pairs(family, labels), help: family.help)
        gaugeSeries.withLock { $0[name, default: [:]][labels] = gauge }
        return gauge
    }

    private static func pairs(_ family: Family, _ values: [String]) -> [(String, String)] {
        Array(zip(family.labelNames, values))
    }
}
