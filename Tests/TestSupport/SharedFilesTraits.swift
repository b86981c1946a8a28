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

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Trait where Self == ConditionTrait {
    /// For tests that run installed programs (the Prometheus 2.42 oracle, `/usr/bin/promtool` and
    /// `/usr/bin/prometheus`): skipped, visibly and with the reason, where one is missing; run (and so fail)
    /// under `CI=true`, which must install them. A test never passes silently for want of them.
    public static func needsExecutables(_ paths: String...) -> Self {
        let missing = paths.filter { access($0, X_OK) != 0 }
        return .enabled(if: SharedFiles.isCI || missing.isEmpty,
                        Comment(rawValue: "needs \(missing.joined(separator: " and ")) (not installed)"))
    }
}
