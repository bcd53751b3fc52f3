import Foundation
import Logging
import LocalStore
import WolkvoxAPI

/// Runs a chunked bulk write (add_record or add_dnc) with resume: chunks the
/// journal already confirmed are skipped; chunks left unconfirmed by a killed
/// run are never resent silently — the operator chooses.
public struct BulkJob: Sendable {
    public enum UnconfirmedPolicy: Sendable { case ask, resend, skip, refuse }

    public var jobID: String
    public var chunkCount: Int

    /// The same input for the same command and campaign gives the same job,
    /// so `--resume` finds the earlier run without the operator naming it.
    public static func jobID(command: String, campaign: String, file: String = "", payload: [String]) -> String {
        var hasher = JobHasher(command: command, campaign: campaign, file: file)
        for p in payload { hasher.add(p) }
        return hasher.jobID
    }

    /// `jobID` computed row by row, so a file of any size is never held.
    /// The ID names the file it came from (`import-clientes.csv-<hash>`), so
    /// an unfinished job of another file does not stop this one; the hash is
    /// of the content only, so the same rows are the same job.
    public struct JobHasher {
        let command: String
        let file: String
        private var hasher = SHA256.Hasher()
        public init(command: String, campaign: String, file: String = "") {
            self.command = command
            self.file = BulkJob.fileTag(file)
            hasher.update("\(command)\u{0}\(campaign)\u{0}")
        }
        public mutating func add(_ payload: String) {
            hasher.update(payload)
            hasher.update([0x0A])
        }
        public var jobID: String { "\(command)-" + (file.isEmpty ? "" : file + "-") + String(hasher.finalizeHex().prefix(20)) }
    }

    /// A file's name as a job ID carries it: letters, digits, `.`, `_` and `-`, at most 40.
    static func fileTag(_ name: String) -> String {
        String(String(name.unicodeScalars.map { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) ? Character($0) : "_" }).prefix(40))
    }

    /// The file a job ID names; nil for IDs from before they named one.
    static func file(ofJob id: String) -> String? {
        guard let dash = id.firstIndex(of: "-") else { return nil }
        let rest = id[id.index(after: dash)...]
        guard rest.count > 21, let last = rest.lastIndex(of: "-") else { return nil }
        return String(rest[..<last])
    }

    /// What a run sends and skips.
    public struct Plan: Sendable, Equatable {
        /// Chunk indexes not to send.
        public var skip: Set<Int>
        /// Chunks an earlier run already saw confirmed (reported as already sent).
        public var alreadyConfirmed: Set<Int>
        /// Chunks an earlier run sent without a confirmation, not sent again
        /// (reported as unknown: they may be applied).
        public var leftUnconfirmed: Set<Int> = []

        /// What a run without a journal or `--resume` does: send everything.
        public static let everything = Plan(skip: [], alreadyConfirmed: [])
    }

    /// Decides what this run sends. Chunks are known by their own content
    /// (the exact body they are sent with), so a file whose other rows changed
    /// still skips its applied chunks. Chunks sent but never confirmed are
    /// never resent silently: the operator chooses. And a `--resume` of a
    /// file that changed under an unfinished job stops and says what is
    /// unconfirmed and what changed, unless `acceptChanged`.
    public static func plan(
        jobID: String, api: String, campaignID: String?, bodies: [String], resume: Bool,
        ledger: (any ImportLedger)?, policy: UnconfirmedPolicy, acceptChanged: Bool = false,
        ask: @Sendable (String) -> Bool
    ) async throws -> Plan {
        let byContent = try await ledger?.contentStates(api: api, campaignID: campaignID, bodies: bodies) ?? [:]
        return try await plan(
            jobID: jobID, api: api, campaignID: campaignID, chunkCount: bodies.count, byContent: byContent, resume: resume,
            ledger: ledger, policy: policy, acceptChanged: acceptChanged, ask: ask)
    }

    /// The same decision with the content matches already looked up, chunk
    /// by chunk, while the file was read (`BulkFile.scan`): no run holds all
    /// its chunk bodies at once.
    public static func plan(
        jobID: String, api: String, campaignID: String?, chunkCount: Int, byContent: [Int: ContentMatch], resume: Bool,
        ledger: (any ImportLedger)?, policy: UnconfirmedPolicy, acceptChanged: Bool = false,
        ask: @Sendable (String) -> Bool
    ) async throws -> Plan {
        guard let ledger else {
            if resume { throw BulkJobError(CLIText["cli.job_no_journal"]) }
            return .everything
        }
        var states = try await ledger.chunkStates(jobID: jobID)
        for (index, match) in byContent { states[index] = ChunkState.best(states[index], match.state) }
        let confirmed = Set(states.filter { $0.value == .confirmed }.keys)
        let unconfirmed = states.filter { $0.value == .unconfirmed }.keys.sorted()
        // Only sends that may have applied make this file "already sent": an
        // earlier run the server refused (or that never left) changed nothing,
        // so this run simply sends it again.
        if !resume && states.values.contains(where: { $0 != .failed }) {
            throw BulkJobError(CLIText.text("cli.job_already_sent", ["confirmed": String(confirmed.count), "chunks": String(chunkCount)]))
        }
        // Unconfirmed chunks of another run that are not in this file as they
        // were: the file changed under an unfinished job (or this is another
        // file over its unchecked remains). Said before anything is sent,
        // with or without --resume.
        let ours = Set(byContent.values.flatMap(\.ids))
        let all = try await ledger.unfinishedJobs(api: api, campaignID: campaignID)
            .filter { $0.jobID != jobID }
            .compactMap { job -> (LedgerJob, [Int])? in
                let gone = job.unconfirmed.filter { !ours.contains($0.value) }.keys.sorted()
                return gone.isEmpty ? nil : (job, gone)
            }
        // Jobs are separate: another file's unfinished job is named in one
        // line and this run goes on; only this file's own earlier job (or
        // one from before job IDs named their file) stops it.
        let mine = file(ofJob: jobID)
        let lost = all.filter { job, _ in
            let theirs = file(ofJob: job.jobID)
            return theirs == nil || theirs == mine
        }
        for (job, gone) in all where !lost.contains(where: { $0.0.jobID == job.jobID }) {
            CLIOutput.error(
                CLIText.text(
                    "cli.job_other_unfinished",
                    [
                        "file": file(ofJob: job.jobID) ?? "?", "job": job.jobID, "started": job.startedAt,
                        "lost": gone.map { String($0 + 1) }.joined(separator: ", "),
                    ]))
        }
        if let (job, gone) = lost.first, !acceptChanged {
            let fresh = (0..<chunkCount).filter { states[$0] == nil }
            let text = CLIText.text(
                "cli.job_changed",
                [
                    "file": file(ofJob: job.jobID) ?? "?",
                    "started": job.startedAt, "lost": gone.map { String($0 + 1) }.joined(separator: ", "),
                    "fresh": fresh.isEmpty ? "—" : fresh.map { String($0 + 1) }.joined(separator: ", "),
                    "chunks": String(chunkCount), "matched": String(confirmed.count),
                ])
            if policy == .ask {
                if !ask(text + " " + CLIText["cli.job_changed_question"]) { throw BulkJobError(CLIText["cli.job_changed_stopped"]) }
            } else {
                throw BulkJobError(text + " " + CLIText["cli.job_changed_flag"])
            }
        }
        if !resume { return .everything }
        var skip = confirmed
        if !unconfirmed.isEmpty {
            let list = unconfirmed.map { String($0 + 1) }.joined(separator: ", ")
            let question = CLIText.text("cli.job_resend_question", ["list": list, "chunks": String(chunkCount)])
            switch policy {
            case .resend: break
            case .skip: skip.formUnion(unconfirmed)
            case .refuse:
                throw BulkJobError(CLIText.text("cli.job_unconfirmed", ["list": list]))
            case .ask:
                if !ask(question) { skip.formUnion(unconfirmed) }
            }
        }
        Logger(label: "wvconsole.bulk").info(
            "resume plan",
            metadata: [
                "job": "\(jobID)", "chunks": "\(chunkCount)", "confirmed": "\(confirmed.count)",
                "unconfirmed": "\(unconfirmed.count)", "skipped": "\(skip.count)", "accept_changed": "\(acceptChanged)",
            ])
        return Plan(skip: skip, alreadyConfirmed: confirmed, leftUnconfirmed: skip.intersection(unconfirmed))
    }
}

public struct BulkJobError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ d: String) { description = d }
}
