import ArgumentParser
import ElectronicSeal
import Foundation
import SealCrypto

/// `sealpress seal make`: makes a seal file (`.esl`) signed by the seal maker.
struct SealMakeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make",
        abstract: "Make an electronic seal (.esl) signed by the seal maker.",
        discussion: """
            The seal lists the certificates allowed to sign with it (--signer-cert, repeatable) and is signed by \
            the seal maker (制章者) key and certificate. Dates take 2026-01-01 (a day in China Standard Time: \
            --valid-from is its first second, --valid-to its last) or full ISO 8601 (2026-01-01T00:00:00Z).

            Example:
              sealpress seal make --name "某某公司合同专用章" --type 1 --esid 91110000MA01-0001 \\
                  --picture seal.png --width-mm 40 --height-mm 40 \\
                  --signer-cert signer.pem \\
                  --maker-key maker.key --maker-cert maker.pem \\
                  --valid-from 2026-01-01 --valid-to 2028-12-31 --out seal.esl

            A seal whose --valid-to has passed is refused, and an existing --out is never replaced, unless --force \
            is given.
            """
    )

    @Option(help: "The seal name (印章名称).") var name: String
    @Option(help: "The seal type (印章类型): 1 organisation, 2 personal, or a business-defined number.") var type: Int
    @Option(name: .customLong("esid"), help: "The seal identifier (印章标识, ASCII).") var esID: String
    @Option(help: "The seal picture file (PNG, JPG, GIF, BMP, SVG, or an OFD for a vector seal).") var picture: String
    @Option(help: "Picture type to record (default: detected from the file's content).") var pictureType: String?
    @Option(name: .customLong("width-mm"), help: "Display width in millimetres.") var widthMM: Int
    @Option(name: .customLong("height-mm"), help: "Display height in millimetres.") var heightMM: Int
    @Option(help: "A signer certificate the seal admits (PEM or DER; repeatable; a PEM file may hold several).")
    var signerCert: [String]
    @Option(help: "The seal maker's private key (PEM or DER PKCS#8), a pkcs11: URI of a key in a token, or sealpress+https://HOST:PORT/keys/NAME.")
    var makerKey: String?
    @Option(help: "Password of an encrypted maker key.") var makerKeyPassword: String?
    @Option(help: "The seal maker's certificate (PEM or DER).") var makerCert: String?
    @Option(help: "The seal maker's key and certificate as PKCS#12 (.p12/.pfx), instead of --maker-key/--maker-cert.")
    var makerP12: String?
    @Option(help: "Password of the PKCS#12 file.") var makerP12Password: String = ""
    @Option(help: "Start of validity (2026-01-01 or ISO 8601).") var validFrom: String
    @Option(help: "End of validity (2028-12-31 or ISO 8601).") var validTo: String
    @Option(help: "4 for GB/T 38540-2020 (default), 1 for GM/T 0031-2014.") var version: Int = 4
    @Option(help: "The vendor ID written in the header (ASCII).") var vendorId: String = "SealPress"
    @Flag(help: "List SM3 digests of the signer certificates (certListType 2) instead of the certificates (v4).")
    var certDigests = false
    @Option(help: "Where to write the seal (an existing file needs --force).") var out: String
    @Flag(help: "Replace --out if it exists; make the seal even if it has already expired (for tests).")
    var force = false

    func validate() throws {
        guard version == 4 || version == 1 else { throw ValidationError("--version must be 4 or 1") }
        guard SealCommandInput.date(validFrom) != nil else {
            throw ValidationError("--valid-from: use 2026-01-01 or ISO 8601 (2026-01-01T00:00:00Z)")
        }
        guard SealCommandInput.date(validTo, endOfDay: true) != nil else {
            throw ValidationError("--valid-to: use 2028-12-31 or ISO 8601 (2028-12-31T23:59:59Z)")
        }
        guard widthMM > 0, heightMM > 0 else { throw ValidationError("--width-mm and --height-mm must be positive") }
        guard !signerCert.isEmpty else { throw ValidationError("give at least one --signer-cert") }
        let makerKeyGiven = makerKey.map { KeyInput.isReference($0) || makerCert != nil } ?? false
        guard (makerP12 != nil) != makerKeyGiven else {
            throw ValidationError("give either --maker-key and --maker-cert (or a pkcs11: or sealpress+https: --maker-key), or --maker-p12")
        }
    }

    func run() throws {
        let validStart = SealCommandInput.date(validFrom)!
        let validEnd = SealCommandInput.date(validTo, endOfDay: true)!
        // A seal is made to be used: one that has already expired is refused unless --force (test fixtures).
        try SealValidityError.checkMakeable(validFrom: validStart, validTo: validEnd, now: force ? nil : Date())
        try OutputFile.checkWritable(out, force: force, what: "seal file")
        let pictureBytes = try SealCommandInput.read(picture, what: "picture")
        guard let kind = pictureType ?? PictureKind.detect(pictureBytes) else {
            throw CouldNotRun("cannot tell the picture format of \(picture); give --picture-type")
        }
        let signers = try signerCert.flatMap { try SealCommandInput.certificates($0, what: "signer certificate") }
        let maker = try makerSigner()
        // Both standards sign seals with SM2. An RSA or ECDSA maker is kept for PDF interoperability (seals for
        // RSA/ECDSA signers), but independent GB/T 38540 checkers reject such a seal: say so before it is used.
        if maker.algorithm != .sm2WithSM3 {
            FileHandle.standardError.write(Data((
                "sealpress: warning: the seal maker key is not SM2 (\(maker.algorithm)); GB/T 38540 and GM/T 0031 "
                    + "checkers accept only seals signed with SM2 with SM3: use this seal for PDF interoperability, "
                    + "or make it with the seal maker's SM2 key\n").utf8))
        }
        var builder = SealBuilder(
            name: name, type: type, esID: esID,
            picture: SESPictureInfo(type: kind, data: pictureBytes, widthMM: widthMM, heightMM: heightMM),
            signerCertificates: signers.map(\.der), validStart: validStart, validEnd: validEnd)
        builder.version = version == 1 ? .v1 : .v4
        builder.vendorID = vendorId
        if certDigests { builder.certificateListForm = .digests(.sm3) }
        let seal: SESeal
        do {
            seal = try builder.build(maker: maker)
        } catch let error as ElectronicSealError {
            throw CouldNotRun("cannot make the seal: \(error.reason)")
        }
        do {
            try OutputFile.checkWritable(out, force: force, what: "seal file")
            try Data(seal.derEncoded).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch let error as CouldNotRun {
            throw error
        } catch {
            throw CouldNotRun("cannot write \(out)")
        }
        print("wrote \(out): \(seal.version.standard) seal \"\(seal.name)\" (\(seal.esID)), \(seal.derEncoded.count) bytes")
    }

    private func makerSigner() throws -> any Signer {
        if let makerKey, KeyInput.isReference(makerKey) {
            return try KeyInput.signer(makerKey, certificate: makerCert, flag: "--maker-key")
        }
        if let makerP12 {
            let bytes = try SealCommandInput.read(makerP12, what: "maker PKCS#12")
            do {
                return try PKCS12Bundle(der: bytes, password: makerP12Password).signer()
            } catch {
                throw CouldNotRun("cannot open the maker PKCS#12 \(makerP12) (wrong --maker-p12-password?): \(UserMessage.reason(error))")
            }
        }
        guard let makerKey, let makerCert else { throw CouldNotRun("no seal maker key given") }
        let certificate = try SealCommandInput.certificates(makerCert, what: "maker certificate")[0]
        let key = try SealCommandInput.privateKey(makerKey, password: makerKeyPassword, what: "maker key")
        do {
            return try SoftwareSigner(key: key, certificate: certificate)
        } catch {
            throw CouldNotRun("the maker key and certificate do not belong together: \(UserMessage.reason(error))")
        }
    }
}
