/// What `--version` prints: the release version, and the git commit the
/// binary was built from (`commit` is generated at build time).
public enum BuildInfo {
    public static let version = "0.2.0"

    /// "0.2.0 (commit 1a2b3c4d5e6f)".
    public static var versionLine: String { "\(version) (commit \(commit))" }
}
