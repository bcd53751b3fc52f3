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
                throw BulkJobError("This file was already sent to this campaign (\(confirmed.count) of \(chunkCount) chunks confirmed); use --resume to send only what is missing.")
            }
            return []
        }
        var skip = confirmed
        if !unconfirmed.isEmpty {
            let list = unconfirmed.map { String($0 + 1) }.joined(separator: ", ")
            let question = "Chunk(s) \(list) of \(chunkCount) were sent by an earlier run but never confirmed; they may already be applied. Resend them (may duplicate)?"
            switch policy {
            case .resend: break
            case .skip: skip.formUnion(unconfirmed)
            case .refuse:
                throw BulkJobError("Chunk(s) \(list) are unconfirmed; check them (wvconsole find) and rerun with --resend-unconfirmed or --skip-unconfirmed.")
            case .ask:
                if !ask(question) { skip.formUnion(unconfirmed) }
            }
        }
        return skip
    }
}

public struct BulkJobError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ d: String) { description = d }
}
