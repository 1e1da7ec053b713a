import Foundation
import Postgres
import Testing

@Suite struct DatabaseLocationTests {
    let home = URL(fileURLWithPath: "/srv/sealpress-home", isDirectory: true)

    @Test func explicitURLWinsOverEverything() {
        let environment = ["DATABASE_URL": "postgres://env/db", "PGHOST": "pghost", "SEALPRESS_HOME": "/x"]
        #expect(DatabaseLocation.resolve(explicit: "postgres://flag/db", environment: environment, home: home)
            == .url("postgres://flag/db"))
    }

    @Test func databaseURLWinsOverLibpqVariables() {
        let environment = ["DATABASE_URL": "postgres://env/db", "PGHOST": "pghost"]
        #expect(DatabaseLocation.resolve(explicit: nil, environment: environment, home: home) == .url("postgres://env/db"))
        #expect(DatabaseLocation.resolve(explicit: "", environment: environment, home: home) == .url("postgres://env/db"))
    }

    @Test(arguments: ["PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGSERVICE", "PGUSER"])
    func libpqVariablesSelectTheEnvironment(variable: String) {
        let location = DatabaseLocation.resolve(explicit: nil, environment: [variable: "x"], home: home)
        #expect(location == .environment)
        #expect(location.conninfo == "")
    }

    @Test func otherwiseTheEmbeddedClusterUnderTheHome() {
        #expect(DatabaseLocation.resolve(explicit: nil, environment: ["PGHOST": "", "DATABASE_URL": ""], home: home)
            == .embedded(home: home))
        #expect(DatabaseLocation.resolve(explicit: nil, environment: ["SEALPRESS_HOME": "/var/lib/sp"])
            == .embedded(home: URL(fileURLWithPath: "/var/lib/sp", isDirectory: true)))
        let cwdDefault = DatabaseLocation.resolve(explicit: nil, environment: [:])
        #expect(cwdDefault == .embedded(home: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            .appendingPathComponent(".sealpress", isDirectory: true)))
        #expect(cwdDefault.conninfo == nil)
    }
}
