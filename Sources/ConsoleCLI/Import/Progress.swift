import Foundation
import WolkvoxAPI

/// Progress for bulk jobs: a redrawn bar with rate and ETA on a terminal,
/// one plain line per chunk otherwise (cron mail, CI logs, pipes).
public final class ProgressReporter: @unchecked Sendable {
    private let total: Int
    private let chunks: Int
    private let isTTY: Bool
    private let started = Date()
    private let lock = NSLock()
    private var done = 0
    /// Rows this run sent: the rate counts only these.
    private var sent = 0

    public init(totalItems: Int, chunks: Int, isTTY: Bool = isatty(STDERR_FILENO) == 1) {
        self.total = totalItems
        self.chunks = chunks
        self.isTTY = isTTY
    }

    /// A chunk's line, worded as the summary words it (a chunk skipped
    /// because an earlier run sent it is not "not sent").
    func chunkFinished<T>(_ r: ChunkReport<T>, plan: BulkJob.Plan) {
        var wasSent = true
        if case .notSent = r.outcome { wasSent = false }
        chunkFinished(index: r.index, items: r.items, note: BulkSummary.describe(r, plan: plan), sent: wasSent)
    }

    public func chunkFinished(index: Int, items: Int, note: String, sent wasSent: Bool = true) {
        lock.lock()
        defer { lock.unlock() }
        done += items
        if wasSent { sent += items }
        let elapsed = max(0.001, Date().timeIntervalSince(started))
        let rate = Double(sent) / elapsed
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let line = CLIText.text(
            "cli.progress",
            [
                "chunk": String(index + 1), "chunks": String(chunks), "done": String(done), "total": String(total),
                "rate": String(format: "%.0f", rate), "eta": String(format: "%.0f", eta), "note": note,
            ])
        if isTTY {
            let width = 24
            let filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            FileHandle.standardError.write(Data("\r\u{1B}[2K\(bar) \(line)".utf8))
            if index + 1 == chunks { FileHandle.standardError.write(Data("\n".utf8)) }
        } else {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }
}
