/// DocMDP permissions of a certification signature (ISO 32000-2 §12.8.2.2).
public enum PDFCertification: Int, Sendable, Hashable {
    /// P=1: no changes at all (DSS and document timestamps excepted).
    case noChanges = 1
    /// P=2: filling in forms and signing.
    case formFillingAndSigning = 2
    /// P=3: P=2 plus annotations.
    case annotationsFormFillingAndSigning = 3
}

