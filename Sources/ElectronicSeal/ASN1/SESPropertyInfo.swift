import SwiftASN1

/// The seal properties (印章属性). The two standards differ; the layout is read from the structure.
///
/// ```asn1
/// -- GB/T 38540-2020 (v4, v5)
/// SES_ESPropertyInfo ::= SEQUENCE {
///     type          INTEGER,          -- 印章类型 (business-defined; 1 organisation, 2 person, …)
///     name          UTF8String,       -- 印章名称
///     certListType  INTEGER,          -- 1 certificates, 2 certificate digests
///     certList      SES_CertList,
///     createDate    GeneralizedTime,
///     validStart    GeneralizedTime,
///     validEnd      GeneralizedTime
/// }
/// -- GM/T 0031-2014 (v1)
/// SES_ESPropertyInfo ::= SEQUENCE {
///     type        INTEGER,
///     name        UTF8String,
///     certList    SEQUENCE OF cert,
///     createDate  UTCTIME,
///     validStart  UTCTIME,
///     validEnd    UTCTIME
/// }
/// ```
public struct SESPropertyInfo: Hashable, Sendable, DERImplicitlyTaggable {
    public static var defaultIdentifier: ASN1Identifier { .sequence }

    /// 印章类型.
    public var type: Int
    /// 印章名称 (display only: some vendors write it in other encodings).
    public var name: String
    /// GB/T 38540 `certListType`; nil in the GM/T 0031-2014 layout, which has no such field.
    public var certListType: Int?
    public var certList: SESCertList
    public var createDate: SESTime
    public var validStart: SESTime
    public var validEnd: SESTime

    /// True for the GM/T 0031-2014 layout (no `certListType`, UTCTime dates).
    public var isGMT0031Layout: Bool { certListType == nil }

    public init(
        type: Int, name: String, certListType: Int?, certList: SESCertList, createDate: SESTime,
        validStart: SESTime, validEnd: SESTime
    ) {
        self.type = type
        self.name = name
        self.certListType = certListType
        self.certList = certList
        self.createDate = createDate
        self.validStart = validStart
        self.validEnd = validEnd
    }

    public init(derEncoded node: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        let fields = try LenientDER.children(node, "SES_ESPropertyInfo", identifier: identifier)
        guard fields.count == 6 || fields.count == 7 else {
            throw ElectronicSealError.structure("SES_ESPropertyInfo has \(fields.count) fields, not 6 or 7")
        }
        self.type = try LenientDER.integer(fields[0], "SES_ESPropertyInfo.type")
        self.name = try LenientDER.string(fields[1], "SES_ESPropertyInfo.name")
        var index = 2
        if fields.count == 7 {
            self.certListType = try LenientDER.integer(fields[2], "SES_ESPropertyInfo.certListType")
            index = 3
        } else {
            self.certListType = nil
        }
        self.certList = try SESCertList(decoding: fields[index], "SES_ESPropertyInfo.certList")
        self.createDate = try SESTime(decoding: fields[index + 1], "SES_ESPropertyInfo.createDate")
        self.validStart = try SESTime(decoding: fields[index + 2], "SES_ESPropertyInfo.validStart")
        self.validEnd = try SESTime(decoding: fields[index + 3], "SES_ESPropertyInfo.validEnd")
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(type)
            try coder.serialize(ASN1UTF8String(name))
            if let certListType { try coder.serialize(certListType) }
            try certList.serialize(into: &coder)
            for (time, field) in [(createDate, "createDate"), (validStart, "validStart"), (validEnd, "validEnd")] {
                guard let date = time.date else {
                    throw ElectronicSealError.value("SES_ESPropertyInfo.\(field) is not a time that can be re-encoded")
                }
                if isGMT0031Layout {
                    try StrictDER.utcTime(date, "SES_ESPropertyInfo.\(field)", into: &coder)
                } else {
                    StrictDER.generalizedTime(date, into: &coder)
                }
            }
        }
    }
}
