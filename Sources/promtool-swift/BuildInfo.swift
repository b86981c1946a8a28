/// What `--version` prints, in the shape of promtool's (prometheus/common's `version.Print`), so scripts that
/// read the first line (`NAME, version X (branch: B, revision: R)`) read ours too.
enum BuildInfo {
    static let version = "0.1.0"
    /// SwiftPM cannot stamp the git branch and revision into a build without a plugin; "unknown" keeps the
    /// line's shape.
    static let branch = "unknown"
    static let revision = "unknown"

    static var platform: String {
        #if os(Linux)
        let os = "linux"
        #elseif os(macOS)
        let os = "darwin"
        #else
        let os = "unknown"
        #endif
        #if arch(x86_64)
        let arch = "amd64"
        #elseif arch(arm64)
        let arch = "arm64"
        #else
        let arch = "unknown"
        #endif
        return os + "/" + arch
    }

    static var swiftVersion: String {
        #if compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }

    /// The `--version` text, ending in a newline.
    static func versionText(program: String) -> String {
        """
        \(program), version \(version) (branch: \(branch), revision: \(revision))
          build user:       unknown
          build date:       unknown
          swift version:    \(swiftVersion)
          platform:         \(platform)

        """
    }
}
