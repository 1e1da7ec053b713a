import Foundation

/// Built executables for process-level tests.
public enum TestBinaries {
    /// The `sealpress` executable built beside the test bundle (`.build/<triple>/debug/sealpress`), or nil.
    /// `swift build --build-tests` builds it together with the tests.
    public static var sealpress: URL? { builtProduct("sealpress") }

    /// A product built beside the test bundle, or under `<repository>/.build/debug/`.
    public static func builtProduct(_ name: String) -> URL? {
        var directories: [URL] = []
        if let executable = Bundle.main.executableURL { directories.append(executable.deletingLastPathComponent()) }
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        directories.append(TestEnvironment.repositoryRoot.appendingPathComponent(".build/debug"))
        for directory in directories {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
