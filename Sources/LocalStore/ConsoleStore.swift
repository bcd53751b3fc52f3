import Foundation
import GRDB
import Logging
import WolkvoxAPI

/// The local SQLite store: outbox/audit of every mutating call, search
/// history and the daily call meter. One file, private to the user (0600),
/// WAL so the console and a bulk job can write at the same time, and
/// `synchronous = FULL` so an intent that was journaled survives power loss.
///
/// The token is never written here: intents hold the request minus its
/// headers, and the meter keys on the token's fingerprint.
public final class ConsoleStore: OperationStore, Sendable {
    let pool: DatabasePool
    public let path: URL
    public let operatorName: String
    let clock: @Sendable () -> Date
    let calendar: Calendar

    public init(
        path: URL, operatorName: String = OperatorName.fallback, clock: @escaping @Sendable () -> Date = Date.init,
        timeZone: TimeZone = .current
    ) throws {
        self.path = path
        self.operatorName = operatorName
        self.clock = clock
        self.calendar = .gregorian(timeZone)
        let dir = path.deletingLastPathComponent()
        // The folder is private (0700, ours, writable by no one else) and no
        // database file is a symlink someone planted: checked with lstat
        // before SQLite opens anything.
        try FileTrust.ensurePrivateDirectory(dir.path)
        for suffix in ["", "-wal", "-shm", "-journal", ".migrate.lock"] { try FileTrust.checkNoSymlink(path.path + suffix) }
        // Create the file 0600 before SQLite does, so it is never briefly world-readable.
        if !FileManager.default.fileExists(atPath: path.path) {
            let fd = open(path.path, O_CREAT | O_WRONLY | O_NOFOLLOW, 0o600)
            if fd >= 0 { close(fd) }
        }
        var config = Configuration()
        config.journalMode = .wal
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        pool = try Self.alone(lockPath: path.path + ".migrate.lock") {
            let pool = try DatabasePool(path: path.path, configuration: config)
            let pending = try pool.read { try Schema.migrator.appliedMigrations($0) }
            try Schema.migrator.migrate(pool)
            let applied = try pool.read { try Schema.migrator.appliedMigrations($0) }
            if applied != pending {
                Logger(label: "wvconsole.store").info(
                    "journal schema migrated", metadata: ["to": "\(applied.last ?? "-")", "file": "\(path.lastPathComponent)"])
            }
            return pool
        }
        for suffix in ["", "-wal", "-shm"] {
            let file = path.path + suffix
            if FileManager.default.fileExists(atPath: file) {
                try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
            }
        }
    }

    /// Applies the migrations holding an exclusive lock on a file beside the
    /// database. A console and two CLI commands starting together on a new
    /// store all saw "no tables yet" and all but one failed with "table intent
    /// already exists" — losing their journal and meter for that run.
    static func alone<T>(lockPath: String, _ body: () throws -> T) throws -> T {
        let fd = open(lockPath, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return try body() }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// Who acted: the login name from the password database, so it cannot be
    /// changed by exporting USER; the uid if there is no entry.
    static var osUser: String { OperatorName.osUser }

    public var summary: String { "SQLite " + path.path }

    /// How every store writes a moment: ISO 8601, UTC, milliseconds.
    public static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}
