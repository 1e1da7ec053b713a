import ArgumentParser
import ElectronicSeal
import Foundation
import Postgres
import SealCrypto
import SealPipeline
import SealReport

// `sealpress seal register | list | suspend | resume | cancel | grant | revoke`: the seal registry.

/// `sealpress seal register`: records a seal, its owner and where its key is (never the key itself).
struct SealRegisterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register a seal: its .esl, owner, and a reference to its signing key (file, PKCS#12 or PKCS#11 token).",
        discussion: """
            esID, seal name and validity are read from the .esl. Before registering, the seal maker's signature is \
            checked, the key reference is opened and its certificate must be in the seal's certificate list. \
            Key references: 'file:/k.pem?cert=/c.pem[&password-env=VAR]', 'pkcs12:/x.p12[?password-env=VAR]', an \
            RFC 7512 URI 'pkcs11:token=T;object=K;type=private?module-path=/usr/lib/softhsm/libsofthsm2.so\
            &pin-source=file:/run/secrets/pin' (the PIN is read from the file or env:NAME, never stored; \
            cert-path=FILE when the token holds no certificate), or 'sealpress+https://HOST:PORT/keys/NAME' \
            (a signing service; see Docs/remote-signing.md). \
            An expired seal is refused unless --force is given (it could never stamp).

            Example:
              sealpress seal register --name contract --esl seal.esl --owner "某某公司" \\
                  --key-ref 'file:/keys/signer.key.pem?cert=/keys/signer.cert.pem'
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Registry name pipelines use (lower-case letters, digits, . _ -).") var name: String
    @Option(help: "The seal file (SESeal DER).") var esl: String
    @Option(name: .customLong("key-ref"), help: "Where the signing key is (see above).") var keyRef: String
    @Option(help: "Owner organisation.") var owner: String
    @Option(name: .customLong("credit-code"), help: "Owner's unified social credit code (18 characters).")
    var creditCode: String?
    @Option(help: "Seal type as recorded (default: from the seal: organisation, personal, or its number).")
    var type: String?
    @Flag(help: "Register even an expired seal (kept for the record; it cannot stamp).") var force = false

    func run() throws {
        let reference: KeyReference
        switch KeyInput.reference(keyRef, flag: "--key-ref") {
        case .success(let parsed): reference = parsed
        case .failure(let problem): throw ValidationError(problem.message)
        }
        let bytes = try SealCommandInput.read(esl, what: "seal")
        let seal: SESeal
        do {
            seal = try SESeal(bytes: bytes)
        } catch {
            throw CouldNotRun("\(esl) is not an electronic seal (SESeal): \(UserMessage.reason(error))")
        }
        let checks = SealVerifier.verify(seal: seal, at: Date())
        for name in [SealCheckName.sealFormat, SealCheckName.sealMakerSignature] {
            if let check = checks.first(where: { $0.name == name }), check.status == .failed {
                throw CouldNotRun("the seal fails \(name): \(check.reason ?? "")")
            }
        }
        let signer = try KeyInput.resolve(reference, flag: "--key-ref")
        guard let certificate = signer.certificate, SealRegistryInput.seal(seal, admits: certificate) else {
            throw CouldNotRun("the key's certificate is not in the seal's certificate list")
        }
        if let publicKey = signer.publicKey, publicKey != certificate.publicKey {
            throw CouldNotRun("the key reference's public key is not the one in its certificate")
        }
        let property = seal.sealInfo.property
        guard let validFrom = property.validStart.date, let validTo = property.validEnd.date else {
            throw CouldNotRun("the seal's validity dates cannot be read")
        }
        if validTo <= Date() && !force {
            throw SealValidityError(
                code: .sealExpired,
                reason: "the seal expired on \(SealRegistryInput.day(validTo)) and could never stamp; pass --force to "
                    + "register it anyway (for the record)")
        }
        let sealType = type ?? (property.type == 1 ? "organisation" : property.type == 2 ? "personal" : "\(property.type)")
        let record = SealRecord(
            name: name, esID: seal.esID, ownerOrganisation: owner, ownerCreditCode: creditCode, sealType: sealType,
            validFrom: validFrom, validTo: validTo, state: .active, keyReference: reference)
        let connection = try database.connect()
        defer { connection.close() }
        try SealRegistryInput.run("register the seal") {
            try SealRegistry().register(
                .init(record: record, sealName: seal.name, esl: bytes, eslSHA256: Digest.hash(.sha256, bytes)),
                on: connection)
        }
        print("registered seal \(name): esID \(seal.esID), \"\(seal.name)\", valid \(SealRegistryInput.day(validFrom)) … "
            + "\(SealRegistryInput.day(validTo)), signer \(certificate.subject)")
    }
}

/// `sealpress seal list [--json]`.
struct SealListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List registered seals and their grants.",
        discussion: "Example:\n  sealpress seal list --json")
    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let connection = try database.connect()
        defer { connection.close() }
        let (seals, grants) = try SealRegistryInput.run("read the registry") {
            (try SealRegistry().list(on: connection), try SealRegistry().grants(on: connection))
        }
        if json {
            struct Entry: Encodable {
                var seal: SealRecord
                var grants: [Grant]
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            let entries = seals.map { seal in Entry(seal: seal, grants: grants.filter { $0.seal == seal.name }) }
            print(String(decoding: try encoder.encode(entries), as: UTF8.self))
            return
        }
        if seals.isEmpty { print("no seals registered") }
        for seal in seals {
            let expired = seal.validTo < Date() ? " (expired)" : ""
            print("\(seal.name)  [\(seal.state.rawValue)\(expired)]  esID \(seal.esID)  \(seal.ownerOrganisation)  "
                + "valid \(SealRegistryInput.day(seal.validFrom)) … \(SealRegistryInput.day(seal.validTo))  key \(seal.keyReference)")
            for grant in grants where grant.seal == seal.name {
                let scope = grant.pipelines.isEmpty ? "all pipelines" : grant.pipelines.joined(separator: ",")
                let revoked = grant.revokedAt.map { " REVOKED \(SealRegistryInput.day($0))" } ?? ""
                print("    grant \(grant.id ?? 0): \(grant.principal) via \(scope), "
                    + "\(SealRegistryInput.day(grant.validFrom)) … \(SealRegistryInput.day(grant.validTo))\(revoked)")
            }
        }
    }
}

/// `sealpress seal suspend|resume|cancel NAME [--reason …]`.
struct SealStateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suspend", abstract: "Suspend a seal (停用).",
        discussion: "Pre-flight refuses its stamp jobs until `seal resume`.\n\nExample:\n  sealpress seal suspend contract --reason \"key holder on leave\"")
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The seal's registry name.") var name: String
    @Option(help: "Why (recorded in the registry events).") var reason: String?

    static func change(_ state: SealRecord.State, name: String, reason: String?, database: DatabaseOptions) throws {
        let connection = try database.connect()
        defer { connection.close() }
        try SealRegistryInput.run("change the seal's state") {
            try SealRegistry().setState(state, of: name, reason: reason, on: connection)
        }
        print("seal \(name) is now \(state.rawValue)")
    }

    func run() throws { try Self.change(.suspended, name: name, reason: reason, database: database) }
}

struct SealResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Resume a suspended seal (启用).",
        discussion: "Example:\n  sealpress seal resume contract --reason \"back from leave\"")
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The seal's registry name.") var name: String
    @Option(help: "Why (recorded in the registry events).") var reason: String?
    func run() throws { try SealStateCommand.change(.active, name: name, reason: reason, database: database) }
}

struct SealCancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Cancel a seal for good (注销); its record stays for verification.",
        discussion: "Example:\n  sealpress seal cancel contract --reason \"company renamed\"")
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The seal's registry name.") var name: String
    @Option(help: "Why (recorded in the registry events).") var reason: String?
    func run() throws { try SealStateCommand.change(.cancelled, name: name, reason: reason, database: database) }
}

/// `sealpress seal grant NAME --principal P [--pipeline X …] --from … --to …`.
struct SealGrantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant", abstract: "Allow a principal to use a seal through some pipelines within a time window.",
        discussion: """
            The window must lie inside the seal's own validity, and the seal must not have expired: otherwise the \
            grant is refused unless --force is given (such a grant could not stamp outside the seal's validity).

            Example:
              sealpress seal grant contract --principal crm --pipeline business-licence \\
                  --to 2026-12-31
            """)
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The seal's registry name.") var name: String
    @Option(help: "The client principal (back-office system or operator).") var principal: String
    @Option(help: "A pipeline the grant covers (repeatable; none: every pipeline).") var pipeline: [String] = []
    @Option(help: "Start (2026-01-01 or ISO 8601; default now).") var from: String?
    @Option(help: "End (2026-12-31 or ISO 8601).") var to: String
    @Flag(help: "Grant even beyond the seal's validity or on an expired seal.") var force = false

    func run() throws {
        let start = try from.map { text -> Date in
            guard let date = SealCommandInput.date(text) else { throw ValidationError("--from: unreadable date \(text)") }
            return date
        } ?? Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))  // signing times are whole seconds
        guard let end = SealCommandInput.date(to, endOfDay: true) else { throw ValidationError("--to: unreadable date \(to)") }
        guard end > start else { throw ValidationError("--to must be after --from") }
        let connection = try database.connect()
        defer { connection.close() }
        let seals = try SealRegistryInput.run("read the registry") { try SealRegistry().list(on: connection) }
        if let seal = seals.first(where: { $0.name == name }), !force {
            try SealValidityError.checkGrant(from: start, to: end, seal: seal, now: Date())
        }
        let id = try SealRegistryInput.run("grant the seal") {
            try SealRegistry().grant(
                Grant(seal: name, principal: principal, pipelines: pipeline, validFrom: start, validTo: end), on: connection)
        }
        print("grant \(id): \(principal) may use seal \(name) "
            + "via \(pipeline.isEmpty ? "every pipeline" : pipeline.joined(separator: ", ")) "
            + "from \(SealRegistryInput.day(start)) to \(SealRegistryInput.day(end))")
    }
}

/// `sealpress seal revoke GRANT_ID` (a grant) or `sealpress seal revoke --seal NAME` (the seal itself, 吊销).
struct SealRevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke a grant from now on, or (--seal) revoke a seal for good (吊销).",
        discussion: """
            With a grant id, the grant ends now. With --seal, the seal itself is revoked (its key or the seal is \
            compromised): pre-flight refuses it and its status service answers 'revoked' from now on, so documents \
            signed after this moment fail the sealStatus check; documents signed before still pass, with the \
            state named. A revoked seal never changes state again.

            Examples:
              sealpress seal revoke 12   # the grant id from `sealpress seal list`
              sealpress seal revoke --seal contract --reason "key holder's token lost"
            """)
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The grant id (`sealpress seal list`).") var grantID: Int64?
    @Option(help: "Revoke this seal (registry name) instead of a grant.") var seal: String?
    @Option(help: "Why (recorded in the registry events; with --seal).") var reason: String?

    func validate() throws {
        if (grantID == nil) == (seal == nil) {
            throw ValidationError("give either a grant id or --seal NAME")
        }
    }

    func run() throws {
        if let seal {
            try SealStateCommand.change(.revoked, name: seal, reason: reason, database: database)
            return
        }
        guard let grantID else { return }
        let connection = try database.connect()
        defer { connection.close() }
        try SealRegistryInput.run("revoke the grant") { try SealRegistry().revoke(grantID: grantID, on: connection) }
        print("grant \(grantID) revoked")
    }
}

/// Shared pieces of the registry commands.
enum SealRegistryInput {
    /// Whether the seal's certificate list holds `certificate` (or its SM3/SHA-256 digest).
    static func seal(_ seal: SESeal, admits certificate: Certificate) -> Bool {
        switch seal.sealInfo.property.certList {
        case .certificates(let list):
            return list.contains { Array($0) == certificate.der }
        case .certificateDigests(let digests):
            let candidates = [Digest.hash(.sm3, certificate.der), Digest.hash(.sha256, certificate.der)]
            return digests.contains { candidates.contains(Array($0.value)) }
        case .certificateIdentifiers:
            return false
        }
    }

    static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withFullTime, .withTimeZone]
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        return formatter.string(from: date)
    }

    /// Runs a registry operation, turning its errors into "could not run" with their reason.
    static func run<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as RegistryError {
            throw CouldNotRun(error.reason)
        } catch let error as PGError {
            if error.sqlState == "23505" { throw CouldNotRun("cannot \(what): it is already registered") }
            if error.sqlState == "23503" { throw CouldNotRun("cannot \(what): no such seal is registered (see `sealpress seal list`)") }
            if error.sqlState == "23514" || error.sqlState == "22P02" || error.sqlState == "23502" {
                throw CouldNotRun("cannot \(what): a value is out of range (check names, dates and the credit code)")
            }
            if ["3F000", "42P01"].contains(error.sqlState ?? "") {
                throw CouldNotRun("the seal registry is missing; run `sealpress migrate`")
            }
            throw CouldNotRun("cannot \(what): \(error.reason)")
        }
    }
}

extension SealValidityError {
    /// `seal grant`: the seal has not expired and the window lies inside its validity.
    static func checkGrant(from start: Date, to end: Date, seal: SealRecord, now: Date) throws(SealValidityError) {
        let validity = "\(SealRegistryInput.day(seal.validFrom)) … \(SealRegistryInput.day(seal.validTo))"
        if seal.validTo <= now {
            throw SealValidityError(
                code: .sealExpired,
                reason: "seal \(seal.name) expired on \(SealRegistryInput.day(seal.validTo)); a grant could never be "
                    + "used (pass --force to record it anyway)")
        }
        if end > seal.validTo {
            throw SealValidityError(
                code: .grantOutsideSealValidity,
                reason: "the grant ends after seal \(seal.name)'s validity (\(validity)); give --to "
                    + "\(SealRegistryInput.day(seal.validTo)) or earlier, or pass --force")
        }
        if start < seal.validFrom {
            throw SealValidityError(
                code: .sealNotValidYet,
                reason: "the grant starts before seal \(seal.name) is valid (\(validity)); give --from "
                    + "\(SealRegistryInput.day(seal.validFrom)) or later, or pass --force")
        }
    }
}
