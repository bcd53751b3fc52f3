#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Files and folders that someone else could plant or rewrite are not
/// trusted, as ssh does with its config: a neighbour with write access to
/// the config could point the console at their own server, and one who can
/// swap the journal for a symlink could read or plant audit entries.
public enum FileTrust {
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    static func lstatOf(_ path: String) -> stat? {
        var st = stat()
        return lstat(path, &st) == 0 ? st : nil
    }

    static func statOf(_ path: String) -> stat? {
        var st = stat()
        return stat(path, &st) == 0 ? st : nil
    }

    static func isOwnedByUs(_ st: stat) -> Bool {
        st.st_uid == geteuid() || st.st_uid == 0
    }

    /// A config file must be ours (or root's) and writable by no one else.
    public static func checkConfigFile(_ path: String) throws {
        guard let st = statOf(path) else { return }
        if !isOwnedByUs(st) {
            throw Refusal("\(path) belongs to another user (uid \(st.st_uid)), so it is not used; make it yours: chown \(geteuid()) \(path)")
        }
        if st.st_mode & 0o022 != 0 {
            throw Refusal("\(path) can be changed by other users (mode \(String(st.st_mode & 0o777, radix: 8))), so it is not used; run: chmod 600 \(path)")
        }
    }

    /// The state folder (journal, log) must be ours and writable by no one else.
    public static func checkPrivateDirectory(_ path: String) throws {
        guard let st = statOf(path) else { throw Refusal("\(path) does not exist.") }
        guard st.st_mode & S_IFMT == S_IFDIR else { throw Refusal("\(path) is not a folder.") }
        if !isOwnedByUs(st) {
            throw Refusal("\(path) belongs to another user (uid \(st.st_uid)); use a state folder of your own (XDG_STATE_HOME).")
        }
        if st.st_mode & 0o022 != 0 {
            throw Refusal("\(path) can be changed by other users (mode \(String(st.st_mode & 0o777, radix: 8))); run: chmod 700 \(path)")
        }
    }

    /// Refuses a symlink (checked with lstat, before anything opens it) or a
    /// file that belongs to another user. A missing file is fine.
    public static func checkNoSymlink(_ path: String) throws {
        guard let st = lstatOf(path) else { return }
        if st.st_mode & S_IFMT == S_IFLNK {
            throw Refusal("\(path) is a symbolic link, which is not followed; remove it and run again.")
        }
        if !isOwnedByUs(st) {
            throw Refusal("\(path) belongs to another user (uid \(st.st_uid)); remove it and run again.")
        }
    }

    /// Creates `path` (and missing parents) 0700, then checks it.
    public static func ensurePrivateDirectory(_ path: String) throws {
        if statOf(path) == nil {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            chmod(path, 0o700)
        }
        try checkPrivateDirectory(path)
    }
}
