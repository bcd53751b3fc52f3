import Foundation
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
    public static func jobID(command: String, campaign: String, payload: [String]) -> String {
        var bytes = Array("\(command)\u{0}\(campaign)\u{0}".utf8)
        for p in payload { bytes += Array(p.utf8); bytes.append(0x0A) }
        return "\(command)-" + String(SHA256.hex(of: bytes).prefix(20))
    }

    /// Which chunk indexes to skip on this run, or an error telling the
    /// operator what to decide.
    public static func chunksToSkip(jobID: String, chunkCount: Int, resume: Bool, ledger: (any ImportLedger)?,
                                    policy: UnconfirmedPolicy, ask: @Sendable (String) -> Bool) async throws -> Set<Int> {
        guard let ledger else {
            if resume { throw BulkJobError("--resume needs the local journal, which could not be opened.") }
            return []
        }
        let states = try await ledger.chunkStates(jobID: jobID)
        let confirmed = Set(states.filter { $0.value == .confirmed }.keys)
        let unconfirmed = states.filter { $0.value == .unconfirmed }.keys.sorted()
        if !resume {
            if !states.isEmpty {
                throw BulkJobError(CLIText.text("cli.job_already_sent", ["confirmed": String(confirmed.count), "chunks": String(chunkCount)]))
            }
            return []
        }
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
        return skip
    }
}

extension BulkJob {
    /// Chunks an earlier run of this job already saw confirmed (skipped by a resume).
    public static func confirmedChunks(jobID: String, ledger: (any ImportLedger)?) async -> Set<Int> {
        guard let states = try? await ledger?.chunkStates(jobID: jobID) else { return [] }
        return Set(states.filter { $0.value == .confirmed }.keys)
    }
}

public struct BulkJobError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ d: String) { description = d }
}
