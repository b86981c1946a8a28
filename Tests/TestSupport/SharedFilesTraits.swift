import Testing

extension Trait where Self == ConditionTrait {
    /// For tests and suites that read `../shared/corpus`: skipped with one notice naming what is missing
    /// and where it goes when it is absent, run (and so fail) under `CI=true`.
    public static var needsCorpus: Self { needs(SharedFiles.corpus) }

    /// For tests that read `../shared/reference` (specifications, schemas); as `needsCorpus`.
    public static var needsReference: Self { needs(SharedFiles.reference) }

    /// For tests that read `../shared/findings` (reproducers of differences from 3.14); as `needsCorpus`.
    public static var needsFindings: Self { needs(SharedFiles.findings) }

    /// The skip comment is short (it repeats for every test skipped); `SharedFilesTests` prints the full
    /// notice once.
    private static func needs(_ path: String) -> Self {
        .enabled(if: SharedFiles.shouldRun(needing: path),
                 Comment(rawValue: "needs \(path) (missing; see README, \"Test corpus\")"))
    }
}
