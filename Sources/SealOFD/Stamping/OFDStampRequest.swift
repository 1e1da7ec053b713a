public import Foundation
public import SealCrypto

/// What to stamp on an OFD document and with which seal and key.
public struct OFDStampRequest: Sendable {
    /// The SES layout of the signature value.
    public enum SESVersion: Sendable, Hashable {
        /// GB/T 38540-2020 (the default; needs a v4 seal).
        case v4
        /// GM/T 0031-2014 (needs a GM/T 0031 seal).
        case v1
    }

    /// The electronic seal (`SESeal` DER, e.g. a `.esl` file). Required for ``OFDSignatureType/seal``.
    public var seal: [UInt8]?
    /// Signs the signature value; its certificate must be in the seal's certificate list.
    public var signer: any Signer
    /// Where the seal appears; at least one for a seal signature, none allowed for a plain signature.
    public var placements: [OFDStampPlacement]
    public var sesVersion: SESVersion
    public var signatureType: OFDSignatureType
    /// Protect Signatures.xml too, so that no later signature can be added.
    public var lock: Bool
    /// Adds an RFC 3161 timestamp over the signature value when set (an HTTP ``TimeStampClient`` or an
    /// in-process ``LocalTimeStampAuthority``).
    public var timestamp: (any TimeStampProvider)?
    /// The signing time written into the signature (and Signature.xml's SignatureDateTime).
    public var signingTime: Date

    public init(
        seal: [UInt8]?, signer: any Signer, placements: [OFDStampPlacement], sesVersion: SESVersion = .v4,
        signatureType: OFDSignatureType = .seal, lock: Bool = false,
        timestamp: (any TimeStampProvider)? = nil, signingTime: Date = Date()
    ) {
        self.seal = seal
        self.signer = signer
        self.placements = placements
        self.sesVersion = sesVersion
        self.signatureType = signatureType
        self.lock = lock
        self.timestamp = timestamp
        self.signingTime = signingTime
    }
}
