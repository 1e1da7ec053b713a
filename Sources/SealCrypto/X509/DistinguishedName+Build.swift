import SwiftASN1

extension DistinguishedName {
    /// Builds a Name in the usual order C, ST, L, O, OU, CN (C as PrintableString, the rest UTF8String so
    /// Chinese names such as `某某市市场监督管理局` stay intact).
    public static func build(
        commonName: String, organization: String? = nil, organizationalUnit: String? = nil,
        locality: String? = nil, state: String? = nil, country: String? = nil
    ) throws(CryptoError) -> DistinguishedName {
        var attributes: [(ASN1ObjectIdentifier, String)] = []
        if let country { attributes.append((OIDs.countryName, country)) }
        if let state { attributes.append((OIDs.stateOrProvinceName, state)) }
        if let locality { attributes.append((OIDs.localityName, locality)) }
        if let organization { attributes.append((OIDs.organizationName, organization)) }
        if let organizationalUnit { attributes.append((OIDs.organizationalUnitName, organizationalUnit)) }
        attributes.append((OIDs.commonName, commonName))
        do {
            let der = try DERWriting.build { coder in
                try coder.appendConstructedNode(identifier: .sequence) { rdnSequence in
                    for (type, value) in attributes {
                        try rdnSequence.appendConstructedNode(identifier: .set) { set in
                            try set.appendConstructedNode(identifier: .sequence) { pair in
                                try pair.serialize(type)
                                if type == OIDs.countryName {
                                    try pair.serialize(try ASN1PrintableString(value))
                                } else {
                                    try pair.serialize(ASN1UTF8String(value))
                                }
                            }
                        }
                    }
                }
            }
            return try DistinguishedName(der: der)
        } catch let error as CryptoError {
            throw error
        } catch {
            throw CryptoError(.invalidArgument, "name attribute cannot be encoded (country must be PrintableString)")
        }
    }
}
