public import SealQueue

extension PipelineSchema {
    /// Migration 102: the `stamp` and `verify` job contracts, enforced by `sealpress.enqueue` and
    /// `sealpress.enqueue_many` for every producer (queue migration 3 added the columns).
    ///
    /// A stamp job needs an input document and non-empty `pipeline` and `principal` strings
    /// (``StampJobArguments``); a verify job needs an input document. The pipelines themselves live in YAML on the
    /// workers, so the database cannot know their names: `sealpress enqueue stamp` checks the name against its
    /// pipelines directory, and a worker without the pipeline fails the job as `unknownPipeline` (retried).
    public static let jobContracts = Migration(
        version: 102, name: "stamp and verify job contracts", sql: """
            UPDATE sealpress.job_kinds SET requires_document = true, required_args = '{pipeline,principal}'
             WHERE kind = 'stamp';
            UPDATE sealpress.job_kinds SET requires_document = true WHERE kind = 'verify';
            """)
}
