import Foundation
import SealCrypto
import SealReport

/// The one rule set applied before a seal is used to sign (GB/T 38540 §7.2), for every format and entry point:
/// the PDF and OFD engines, the seal-signature builder, the CLI and the pipeline all come through here.
///
/// A seal may be used by a signer when
/// 1. the signer has a certificate, and its key is the certificate's key (when the signer can tell),
/// 2. that certificate is in the seal's certificate list (byte-equal, re-encoded, or a listed digest),
/// 3. the seal is valid at the signing time (not before `validStart`, not after `validEnd`),
/// 4. the seal's version fits the signature that will carry it (``SealUse``),
/// 5. the seal maker's signature over the seal verifies.
///
/// Refusals are ``ElectronicSealError``s whose codes are the same whichever engine asked, with times written
/// as people read them (`2021-12-31 23:59:59 +08:00`).
///
/// ```swift
/// try SealPolicy.check(seal, signer: signer, at: signingTime, use: .gbt38540)
/// ```
public enum SealPolicy {
    /// Checks every rule; throws the first that fails.
    ///
    /// - Throws: ``ElectronicSealError`` with `.signerHasNoCertificate`, `.keyDoesNotMatchCertificate`,
    ///   `.signerNotInSeal`, `.sealNotYetValid`, `.sealExpired`, `.sealVersionMismatch` or `.sealNotValid`.
    public static func check(_ seal: SESeal, signer: any Signer, at signingTime: Date, use: SealUse)
        throws(ElectronicSealError)
    {
        guard let certificate = signer.certificate else {
            throw ElectronicSealError(
                .signerHasNoCertificate,
                "the signer has no certificate, so it cannot be matched against the seal: give the signer's certificate")
        }
        if let publicKey = signer.publicKey, publicKey != certificate.publicKey {
            throw ElectronicSealError(
                .keyDoesNotMatchCertificate, "the signing key does not belong to the certificate given with it")
        }
        try checkVersion(seal, use: use)
        let membership = SealVerifier.membershipCheck(seal: seal, signerCertificate: certificate.der[...])
        guard membership.status == .passed else {
            throw ElectronicSealError(
                .signerNotInSeal,
                "the signer's certificate (\(certificate.subject)) is not in the seal's certificate list: this key may "
                    + "not use seal \(seal.esID); use a key the seal lists, or have the seal re-made for this certificate")
        }
        try checkValidity(seal, at: signingTime)
        try checkMakerSignature(seal)
    }

    /// Rule 4 alone: the seal's version against the signature layout.
    public static func checkVersion(_ seal: SESeal, use: SealUse) throws(ElectronicSealError) {
        guard use.admits(seal.version) else {
            let fix = seal.version == .v1
                ? "it is a GM/T 0031-2014 (v1) seal: sign with SES version v1 (OFD), or use a GB/T 38540 seal"
                : "it is a GB/T 38540 seal: sign with SES version v4"
            throw ElectronicSealError(.sealVersionMismatch, "seal \(seal.esID) cannot make \(use): \(fix)")
        }
    }

    /// Rule 3 alone: the seal's validity period at `date`.
    public static func checkValidity(_ seal: SESeal, at date: Date) throws(ElectronicSealError) {
        let property = seal.sealInfo.property
        guard let start = property.validStart.date, let end = property.validEnd.date else {
            throw ElectronicSealError(.sealNotValid, "the seal's validity dates cannot be read")
        }
        if date < start {
            throw ElectronicSealError(
                .sealNotYetValid,
                "seal \(seal.esID) is valid only from \(readable(start)); the signing time is \(readable(date))")
        }
        if date > end {
            throw ElectronicSealError(
                .sealExpired,
                "seal \(seal.esID) expired at \(readable(end)); the signing time is \(readable(date)): "
                    + "have the seal renewed by its maker")
        }
    }

    /// Rule 5 alone: the maker's signature over the seal (remembered per seal: ``SealMakerSignatures``).
    public static func checkMakerSignature(_ seal: SESeal) throws(ElectronicSealError) {
        guard SealMakerSignatures.check(seal).status == .passed else {
            throw ElectronicSealError(
                .sealNotValid, "the seal maker's signature over seal \(seal.esID) does not verify: the seal was altered")
        }
    }

    /// A time as a person in China reads it: `2021-12-31 23:59:59 +08:00`.
    public static func readable(_ date: Date) -> String {
        let c = CivilTime(date, offsetSeconds: 8 * 3600)
        let date = "\(c.year)-\(CivilTime.two(c.month))-\(CivilTime.two(c.day))"
        let time = "\(CivilTime.two(c.hour)):\(CivilTime.two(c.minute)):\(CivilTime.two(c.second))"
        return date + " " + time + " +08:00"
    }
}
