import Foundation
import SwiftASN1

/// RFC 3161 `TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken TimeStampToken OPTIONAL }`,
/// `PKIStatusInfo ::= SEQUENCE { status PKIStatus, statusString PKIFreeText OPTIONAL, failInfo PKIFailureInfo OPTIONAL }`.
public struct TimeStampResponse: Sendable, Hashable {
    /// 0 granted, 1 grantedWithMods, 2 rejection, 3 waiting, 4 revocationWarning, 5 revocationNotification.
    public var status: Int
    public var statusText: String?
    /// The token (a DER ContentInfo), when granted.
    public var tokenDER: [UInt8]?

    public var isGranted: Bool { (status == 0 || status == 1) && tokenDER != nil }

    public init(status: Int, statusText: String? = nil, tokenDER: [UInt8]?) {
        self.status = status
        self.statusText = statusText
        self.tokenDER = tokenDER
    }

    /// Parses a DER response.
    public init(der: [UInt8]) throws(CryptoError) {
        do {
            let fields = try DERReading.children(try DERReading.parse(der))
            guard let statusNode = fields.first else { throw ASN1Error.invalidASN1Object(reason: "TimeStampResp") }
            let statusFields = try DERReading.children(statusNode)
            guard let code = statusFields.first else { throw ASN1Error.invalidASN1Object(reason: "PKIStatusInfo") }
            self.status = try DERReading.smallInteger(code)
            self.statusText = nil
            if statusFields.count > 1, statusFields[1].identifier == .sequence {
                let texts = try DERReading.children(statusFields[1]).map { DistinguishedName.decodeString($0) }
                statusText = texts.joined(separator: " ")
            }
            self.tokenDER = fields.count > 1 ? Array(fields[1].encodedBytes) : nil
        } catch let error as CryptoError {
            throw error
        } catch {
            throw CryptoError(.malformedTimeStamp, "malformed TimeStampResp (\(error))")
        }
    }

    /// DER encoding.
    public func derEncoded() throws -> [UInt8] {
        try DERWriting.build { coder in
            try coder.appendConstructedNode(identifier: .sequence) { response in
                try response.appendConstructedNode(identifier: .sequence) { info in
                    try info.serialize(status)
                    if let statusText {
                        try info.appendConstructedNode(identifier: .sequence) { try $0.serialize(ASN1UTF8String(statusText)) }
                    }
                }
                if let tokenDER { response.serializeRawBytes(tokenDER) }
            }
        }
    }
}
