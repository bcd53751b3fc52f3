import ArgumentParser
import Foundation
import Messages
import WolkvoxAPI

/// `wvconsole recall`: reschedule one record's next dial.
public struct RecallCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "recall", abstract: CLIText["cli.abstract.recall"])
    @OptionGroup public var global: GlobalOptions
    @Option(help: "Campaign ID.") public var campaign: String
    @Option(help: "Campaign type: preview or predictive.") public var type: String
    @Option(name: .customLong("id"), help: "Customer ID.") public var customerID: String
    @Option(help: "Local date and time, \"YYYY-MM-DD HH:MM\" (must be in the future).") public var at: String
    @Option(help: "Phone to call back.") public var phone: String
    @Flag(help: "Send it although an identical recall sent earlier has an unknown outcome.") public var resendUnconfirmed = false
    @Flag(help: "Print JSON instead of text.") public var json = false
    public init() {}

    struct Output: Encodable {
        var ok = true, command = "recall"
        var customerId: String
        var recallDate: String
        var phone: String
        var message: String
        /// `recorded`, or `failed`: done on the server, but the journal could not take the outcome (exit 7).
        var journal: String
    }

    public func run() async throws {
        do {
            let ctx = try await CLIContext.make(global, mutating: true)
            let type = try Validate.campaignType(self.type)
            let when = try Validate.localDateTime(at)
            try await ctx.requireQuota()
            let order = RecallOrder(
                campaignID: campaign, campaignType: type, customerID: try Validate.customerID(customerID),
                phone: try Validate.phone(phone, countryCode: ctx.config.countryCode), when: when)
            try await ctx.guardUnconfirmed(.recall(order), resend: resendUnconfirmed, json: json)
            let receipt = try await ctx.client.recall(order)
            let message = TerminalText.sanitize(receipt.message, limit: 300)
            if json {
                JSONOutput.emit(
                    Output(
                        customerId: customerID, recallDate: try Validate.recallDate(when, now: .distantPast), phone: try Validate.phone(phone), message: message,
                        journal: receipt.outcomeRecorded ? "recorded" : "failed"))
            } else {
                CLIOutput.line("ok: \(message)")
            }
            try requireRecorded(receipt.outcomeRecorded)
        } catch { throw reportWrite(error, command: "recall", json: json) }
    }
}

/// `wvconsole delete`: irreversible; needs `--yes` without a terminal, typed confirmation with one.
public struct DeleteCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: CLIText["cli.abstract.delete"])
    @OptionGroup public var global: GlobalOptions
    @Option(help: "Campaign ID.") public var campaign: String
    @Option(help: "Campaign type: preview or predictive.") public var type: String
    @Option(help: "Customer IDs, comma-separated.") public var ids: String
    @Option(help: "Only delete records whose result is this (no-answer, busy, …).") public var result: String?
    @Flag(help: "Do not ask; required when stdin is not a terminal.") public var yes = false
    @Flag(help: "Send it although an identical delete sent earlier has an unknown outcome (it may be applied already).") public var resendUnconfirmed = false
    @Flag(help: "Print JSON instead of text.") public var json = false
    public init() {}

    /// `deleted`/`not_deleted` are what the answer says, not what was asked;
    /// `outcome` is the journal's verdict (succeeded, partial, rejected, unknown).
    struct Output: Encodable {
        var ok: Bool
        var command = "delete"
        var campaignId: String
        var customerIds: [String]
        var deleted: [String]
        var notDeleted: [String]
        var outcome: String
        var result: String?
        var message: String
        /// `recorded`, or `failed`: the answer came, but the journal could not take it (exit 7).
        var journal: String
        /// When not every record was deleted, as every failure carries it:
        /// kind `partial`, `refused` (nothing deleted) or `unconfirmed_answer`.
        var error: JSONOutput.ErrorBody?
    }

    /// The `error` of a delete that did not delete everything (English, as all of --json).
    static func failure(_ state: MutationOutcome.State, _ answer: RemovalAnswer, message: String) -> JSONOutput.ErrorBody? {
        let en = Catalog.shared(.en)
        switch state {
        case .succeeded: return nil
        case .partial:
            return JSONOutput.ErrorBody(
                kind: "partial", message: en.text("cli.not_deleted", ["ids": answer.notDeleted.joined(separator: ",")]), status: nil,
                serverMessage: message)
        case .rejected: return JSONOutput.ErrorBody(kind: "refused", message: en["delete.none"] + ".", status: nil, serverMessage: message)
        case .unknown:
            return JSONOutput.ErrorBody(
                kind: "unconfirmed_answer", message: en["delete.unconfirmed"] + ". " + en["cli.may_be_applied"], status: nil, serverMessage: message)
        }
    }

    public func run() async throws {
        do {
            // Read-only refuses before anything is asked or typed.
            let ctx = try await CLIContext.make(global, mutating: true)
            let type = try Validate.campaignType(self.type)
            let list = try ids.split(separator: ",").map { try Validate.customerID(String($0)) }
            guard !list.isEmpty else { throw WolkvoxAPI.ValidationError(.customerID, "No customer IDs given.", key: "no_ids") }
            let only = try result.map(Validate.result)
            // Before the question: a refusal must not come after the operator typed the ID.
            try await ctx.requireQuota()
            let order = RemovalOrder(campaignID: campaign, campaignType: type, customerIDs: list, onlyResult: only)
            try await ctx.guardUnconfirmed(.removeRecord(order), resend: resendUnconfirmed, json: json)
            if !yes {
                guard isatty(STDIN_FILENO) == 1 else {
                    throw WolkvoxAPI.ValidationError(
                        .customerID, "Refusing to delete without a terminal to confirm on; add --yes if you are sure.", key: "delete_needs_terminal")
                }
                let expected = list.count == 1 ? list[0] : String(list.count)
                // The typed confirmation stays the customer ID (or the count) in every language.
                let prompt =
                    (list.count == 1
                        ? CLIText.text(
                            "cli.delete_prompt_one", ["id": TerminalText.sanitize(list[0], limit: 60), "campaign": TerminalText.sanitize(campaign, limit: 40)])
                        : CLIText.text("cli.delete_prompt_many", ["count": String(list.count), "campaign": TerminalText.sanitize(campaign, limit: 40)])) + " "
                guard Interruption.answer(prompt: prompt)?.trimmingCharacters(in: .whitespaces) == expected else {
                    CLIOutput.error(CLIText["cli.delete_not_confirmed"])
                    throw ExitCode(ExitStatus.validation.rawValue)
                }
            }
            let receipt = try await ctx.client.remove(order)
            let message = TerminalText.sanitize(receipt.message, limit: 300)
            let answer = receipt.removal ?? RemovalAnswer.read(receipt.message, requested: list)
            let state = answer.state
            if json {
                JSONOutput.emit(
                    Output(
                        ok: state == .succeeded, campaignId: campaign, customerIds: list, deleted: answer.deleted,
                        notDeleted: answer.notDeleted, outcome: state.rawValue, result: only?.rawValue, message: message,
                        journal: receipt.outcomeRecorded ? "recorded" : "failed", error: Self.failure(state, answer, message: message)))
            }
            try requireRecorded(receipt.outcomeRecorded)
            switch state {
            case .succeeded:
                if !json { CLIOutput.line(CLIText["cli.ok"] + ": " + CLIText.plural("cli.deleted", answer.deleted.count) + " — " + message) }
            case .partial:
                if !json { CLIOutput.line(CLIText["cli.incomplete"] + ": " + CLIText.plural("cli.deleted", answer.deleted.count) + " — " + message) }
                CLIOutput.error(CLIText.text("cli.not_deleted", ["ids": answer.notDeleted.joined(separator: ",")]))
                throw ExitCode(ExitStatus.incomplete.rawValue)
            case .rejected:
                CLIOutput.error(CLIText["delete.none"] + " — " + message)
                throw ExitCode(ExitStatus.apiError.rawValue)
            case .unknown:
                CLIOutput.error(CLIText["delete.unconfirmed"] + " — " + message)
                throw ExitCode(ExitStatus.incomplete.rawValue)
            }
        } catch { throw reportWrite(error, command: "delete", json: json) }
    }
}
