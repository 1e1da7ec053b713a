import SealReport

extension [Check] {
    func named(_ name: String) -> Check? { first { $0.name == name } }
}
