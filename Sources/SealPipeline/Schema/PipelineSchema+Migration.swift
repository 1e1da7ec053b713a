public import SealQueue

extension PipelineSchema {
    /// The registry and usage-log migration, for ``Migrator/migrate(_:migrations:)``.
    public static let migration = Migration(version: version, name: name, sql: sql)

    /// Every migration a SealPress database needs: the queue's, then the pipeline's. `sealpress migrate` and the
    /// workers apply this list.
    public static var allMigrations: [Migration] {
        Migration.all + [migration, inlinableChainEncoding, jobContracts, statusService, consoleAccounts,
            consoleLoginThrottle]
    }
}
