import ArgumentParser

/// `sealpress`: applies and checks Chinese electronic seals on PDF and OFD documents, alone or as a queue worker.
@main
struct SealPress: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sealpress",
        abstract: "Apply and verify electronic seals (电子印章) on PDF and OFD documents at scale.",
        discussion: """
            Documents are stamped and verified either directly (stamp, verify) or through a PostgreSQL job queue \
            that many worker processes share (enqueue, worker, status). Without DATABASE_URL or --database-url, \
            commands use a private PostgreSQL cluster under $SEALPRESS_HOME (default ./.sealpress).
            """,
        version: "0.1.0",
        subcommands: SealPress.commands
    )
}
