import Foundation
import Postgres
import SealCrypto
import SealPipeline
import SealQueue
import SealServer
import SealStatus
import SealTestSupport

/// A migrated throwaway database, a demo PKI (on disk, for openssl) and a status signer.
struct StatusWorld: Sendable {
    let url: String
    let pki: DemoPKI
    let directory: URL
    let signer: StatusSigner

    init(prefix: String = "status") throws {
        url = try TestPostgres.shared.makeDatabase(prefix: prefix)
        let connection = try PGConnection(url)
        defer { connection.close() }
        try Migrator.migrate(connection, migrations: PipelineSchema.allMigrations)
        pki = try DemoPKI.make()
        directory = try TestEnvironment.temporaryDirectory("sealpress-status")
        _ = try pki.write(to: directory)
        signer = StatusSigner(signer: try pki.ecdsaSigner.signer(), issuer: "测试签发机构 Test Issuer")
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func connection() throws -> PGConnection { try PGConnection(url) }

    /// Registers a seal (the registry stores the .esl bytes without parsing them).
    @discardableResult
    func register(
        _ name: String, esID: String, validFrom: Date = Date(timeIntervalSinceNow: -86_400 * 30),
        validTo: Date = Date(timeIntervalSinceNow: 86_400 * 365)
    ) throws -> SealRecord {
        let record = SealRecord(
            name: name, esID: esID, ownerOrganisation: "某某市市场监督管理局", ownerCreditCode: nil, sealType: "organisation",
            validFrom: validFrom, validTo: validTo, state: .active,
            keyReference: KeyReference(kind: .pkcs12, path: "/nonexistent/\(name).p12"))
        let esl = Array("esl-\(esID)".utf8)
        let connection = try connection()
        defer { connection.close() }
        try SealRegistry().register(
            .init(record: record, sealName: "测试章 \(name)", esl: esl, eslSHA256: Digest.hash(.sha256, esl)),
            on: connection)
        return record
    }

    func setState(_ state: SealRecord.State, of name: String) throws {
        let connection = try connection()
        defer { connection.close() }
        try SealRegistry().setState(state, of: name, reason: "test", on: connection)
    }

    func configuration(maxAge: Int = 120) -> ServeConfiguration {
        ServeConfiguration(
            listen: ListenAddress(host: "127.0.0.1", port: 0), databaseURL: url, statusSigner: signer,
            statusMaxAge: maxAge)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
