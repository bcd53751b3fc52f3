import Foundation
import WolkvoxAPI

/// The token lives in its own file that only the user can read. A file that
/// group or others can read is refused: a shared supervisor workstation is
/// exactly where a leaked token gets used by someone else.
public enum TokenFile {
    public static func read(_ path: String, relativeTo configFile: URL? = nil) throws -> APIToken {
        var url = URL(fileURLWithPath: path)
        if !path.hasPrefix("/"), let base = configFile?.deletingLastPathComponent() {
            url = base.appendingPathComponent(path)
        }
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: url.path) } catch {
            throw ConfigError("Token file \(url.path) does not exist.")
        }
        // Its mode would be the link's, and "chmod" advice would change whatever it points at.
        if attributes[.type] as? FileAttributeType == .typeSymbolicLink {
            throw ConfigError("Token file \(url.path) is a symbolic link; point token_file at the file itself (chmod 600).")
        }
        let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
        if mode & 0o077 != 0 {
            throw ConfigError("Token file \(url.path) is readable by others (mode \(String(mode, radix: 8))); run: chmod 600 \(url.path)")
        }
        // A token is a line: a file of more than 4 KiB is not one, and is not read whole.
        if let size = (attributes[.size] as? NSNumber)?.intValue, size > 4096 {
            throw ConfigError("Token file \(url.path) is \(size) bytes; a token is one short line (at most 4 KiB).")
        }
        let bytes: Data
        do { bytes = try Data(contentsOf: url) } catch {
            throw ConfigError("Cannot read token file \(url.path).")
        }
        do { return try APIToken(checking: bytes) } catch let problem as APIToken.Problem {
            throw ConfigError("Token file \(url.path) \(problem).")
        }
    }
}
