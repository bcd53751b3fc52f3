import Foundation
import PackagePlugin

/// Writes `BuildInfo.generated.swift` with the git commit the binary is built
/// from ("unknown" outside a git checkout), before every build. The file is
/// rewritten only when the commit changes, so it costs no recompilation.
@main
struct BuildInfoPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let out = context.pluginWorkDirectoryURL.appending(path: "generated")
        let file = out.appending(path: "BuildInfo.generated.swift").path
        let package = context.package.directoryURL.path
        let script = """
            mkdir -p "\(out.path)"
            commit=$(git -C "\(package)" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
            if [ "$commit" != unknown ] && ! git -C "\(package)" diff --quiet HEAD -- Sources Package.swift 2>/dev/null; then commit="$commit-modified"; fi
            text="// Generated at build time by BuildInfoPlugin; not in git.
            extension BuildInfo { public static let commit = \\"$commit\\" }"
            if [ ! -f "\(file)" ] || [ "$(cat "\(file)")" != "$text" ]; then printf '%s' "$text" > "\(file)"; fi
            """
        return [.prebuildCommand(displayName: "Recording the git commit for --version",
                                 executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", script],
                                 outputFilesDirectory: out)]
    }
}
