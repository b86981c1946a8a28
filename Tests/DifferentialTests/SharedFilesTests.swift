import Testing
import TestSupport

/// The one place a missing `../shared` is explained in full: a known issue (the run still passes) on a
/// fresh clone, a failure under `CI=true`.
@Suite struct SharedFilesTests {
    @Test(arguments: [SharedFiles.corpus, SharedFiles.reference, SharedFiles.findings])
    func sharedFolderIsPresent(_ path: String) {
        guard !SharedFiles.exists(path) else { return }
        let notice = Comment(rawValue: SharedFiles.notice(missing: path))
        if SharedFiles.isCI {
            Issue.record(notice)
        } else {
            withKnownIssue(notice) { Issue.record(notice) }
        }
    }
}
