public import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOHTTP1
public import SealCrypto
import Synchronization

/// Asks seal status services (`GET /status/v1/seals/{esID}`) and checks their signed answers; answers are cached
/// per esID for ``Configuration/cacheSeconds``.
///
/// Services are asked in order: the first that knows the seal (200 with a signature that verifies) answers; a 404
/// passes on to the next; a service that cannot be reached or answers wrongly is remembered as the reason when no
/// service answers. Failures are cached too (for a tenth of the time, at most 30 s), so a batch does not wait on a
/// dead service once per document.
public final class SealStatusClient: Sendable {
    public struct Configuration: Sendable {
        /// Base URLs (`http://host:port` or with a path prefix); `/status/v1/seals/{esID}` is appended.
        public var services: [URL]
        /// Roots a status signer must chain to (nil: any signer whose signature verifies is accepted).
        public var trust: TrustStore?
        /// How long an answer is reused for the same esID.
        public var cacheSeconds: TimeInterval
        /// Connect + response timeout per request.
        public var timeoutSeconds: Int64

        public init(services: [URL], trust: TrustStore?, cacheSeconds: TimeInterval = 300, timeoutSeconds: Int64 = 10) {
            self.services = services
            self.trust = trust
            self.cacheSeconds = cacheSeconds
            self.timeoutSeconds = timeoutSeconds
        }
    }

    /// What the services said about one seal.
    public enum Answer: Sendable {
        /// A signed document that verified, from `service`, signed at `signedAt` (its CMS signingTime).
        case status(SealStatusDocument, service: URL, signedAt: Date?)
        /// No service answered for the seal; `error` says why (unknownSeal when every service said 404).
        case unavailable(StatusError)
    }

    public let configuration: Configuration
    private let cache = Mutex<[String: (until: Date, answer: Answer)]>([:])
    private let httpClient: HTTPClient

    public init(configuration: Configuration, httpClient: HTTPClient = .shared) {
        self.configuration = configuration
        self.httpClient = httpClient
    }

    /// The answer for `esID`, from the cache while it is fresh.
    public func status(esID: String, now: Date = Date()) async -> Answer {
        if let cached = cache.withLock({ $0[esID] }), cached.until > now { return cached.answer }
        let answer = await fetch(esID: esID)
        let lifetime: TimeInterval = switch answer {
        case .status: configuration.cacheSeconds
        case .unavailable: min(configuration.cacheSeconds / 10, 30)
        }
        cache.withLock { $0[esID] = (now.addingTimeInterval(lifetime), answer) }
        return answer
    }

    /// ``status(esID:now:)`` for synchronous callers (the CLI, Dispatch worker slots); never call it from an async
    /// context (it blocks the calling thread until the answer is in).
    public func statusBlocking(esID: String) -> Answer {
        Blocking.run { await self.status(esID: esID) }
    }

    private func fetch(esID: String) async -> Answer {
        var reasons: [String] = []
        var everyServiceSaidUnknown = true
        var firstFailure: StatusError.Code?
        for service in configuration.services {
            switch await attempt(esID: esID, service: service) {
            case .success(let (document, signedAt)):
                return .status(document, service: service, signedAt: signedAt)
            case .failure(let error):
                if error.code != .unknownSeal {
                    everyServiceSaidUnknown = false
                    firstFailure = firstFailure ?? error.code
                }
                reasons.append(error.reason)
            }
        }
        if configuration.services.isEmpty {
            return .unavailable(StatusError(.unreachable, "no status service is configured"))
        }
        if everyServiceSaidUnknown {
            return .unavailable(StatusError(.unknownSeal, reasons.joined(separator: "; ")))
        }
        // The first real failure's code (unreachable, invalidSignature, untrustedSigner …), every reason in the text.
        return .unavailable(StatusError(firstFailure ?? .unreachable, reasons.joined(separator: "; ")))
    }

    private func attempt(esID: String, service: URL) async -> Result<(SealStatusDocument, Date?), StatusError> {
        do {
            return .success(try await fetch(esID: esID, from: service))
        } catch {
            return .failure(error)
        }
    }

    /// One request to one service.
    func fetch(esID: String, from service: URL) async throws(StatusError) -> (SealStatusDocument, Date?) {
        let url = Self.statusURL(service: service, esID: esID)
        let host = service.host ?? service.absoluteString
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        let status: UInt
        let headers: HTTPHeaders
        let body: [UInt8]
        do {
            let response = try await httpClient.execute(request, timeout: .seconds(configuration.timeoutSeconds))
            status = response.status.code
            headers = response.headers
            var buffer = try await response.body.collect(upTo: 1 << 20)
            body = buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch {
            throw StatusError(.unreachable, "status service \(host) is unreachable (\(Self.describe(error)))")
        }
        if status == 404 { throw StatusError(.unknownSeal, "status service \(host) does not know seal \(esID)") }
        guard status == 200 else {
            throw StatusError(.badResponse, "status service \(host) answered HTTP \(status)")
        }
        guard let signatureText = headers.first(name: StatusHTTP.signatureHeader),
            let signature = Data(base64Encoded: signatureText)
        else {
            throw StatusError(.invalidSignature, "status service \(host) sent an unsigned answer")
        }
        let signed: SignedStatementVerifier.Signed
        do {
            signed = try SignedStatementVerifier.verify(
                content: body, signatureDER: Array(signature), trust: configuration.trust)
        } catch {
            throw StatusError(error.code, "status service \(host): \(error.reason)")
        }
        let document: SealStatusDocument
        do {
            document = try SealStatusDocument.decode(body)
        } catch {
            throw StatusError(.malformedDocument, "status service \(host) sent an unreadable status document")
        }
        guard document.version == 1, document.esID == esID else {
            throw StatusError(.malformedDocument, "status service \(host) answered for another seal or version")
        }
        return (document, signed.signingTime)
    }

    /// `{service}/status/v1/seals/{esID}` with the esID percent-encoded as one path segment.
    public static func statusURL(service: URL, esID: String) -> String {
        var base = service.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/")
        let segment = esID.addingPercentEncoding(withAllowedCharacters: allowed) ?? esID
        return base + StatusHTTP.statusPath + segment
    }

    private static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectTimeout") || text.contains("deadlineExceeded") || text.contains("readTimeout") {
            return "timed out"
        }
        if text.lowercased().contains("refused") { return "connection refused" }
        return "connection failed"
    }
}

/// The status service's HTTP names, shared by server and client.
public enum StatusHTTP {
    /// The header carrying the base64 DER CMS signature over the exact body bytes.
    public static let signatureHeader = "SealPress-Signature"
    public static let statusPath = "/status/v1/seals/"
    public static let certificatePath = "/status/v1/certificate"
    public static let checkpointsPath = "/audit/v1/checkpoints"
}
