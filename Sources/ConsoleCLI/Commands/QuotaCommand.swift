import ArgumentParser
import Foundation
import LocalStore
import Messages
import WolkvoxAPI

/// `wvconsole quota [--json]`: today's calls against the quota. Asks
/// token_info (the operation's own count, every machine on the token) unless
/// any wvconsole on this machine asked it less than 5 minutes ago; then the
/// stored figure and when it was read. The call itself is counted. A failed
/// ask is one line on stderr; the local count stands and the exit is 0.
public struct QuotaCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "quota", abstract: CLIText["cli.abstract.quota"])
    @OptionGroup public var global: GlobalOptions
    @Flag(help: "Print JSON (stable schema, see README) instead of sentences.") public var json = false
    public init() {}

    struct Output: Encodable {
        var ok = true, command = "quota"
        /// True when token_info was asked by this run.
        var asked: Bool
        /// The day's calls: the figure plus this machine's calls since, else this machine's count.
        var used: Int
        var quota: Int
        var localCallsToday: Int
        var figure: Figure?
        var nextAskAfter: String?
        var tokenInfoError: JSONOutput.ErrorBody?
        /// The figure is below this machine's own count (a stale or partial figure): `used` is the local count.
        var figureBelowLocal: Bool

        enum CodingKeys: String, CodingKey {
            case ok, command, asked, used, quota, localCallsToday, figure, nextAskAfter, tokenInfoError, figureBelowLocal
        }

        /// `figure` and `next_ask_after` are always there, null when there is none.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(ok, forKey: .ok)
            try c.encode(command, forKey: .command)
            try c.encode(asked, forKey: .asked)
            try c.encode(used, forKey: .used)
            try c.encode(quota, forKey: .quota)
            try c.encode(localCallsToday, forKey: .localCallsToday)
            try c.encode(figure, forKey: .figure)
            try c.encode(nextAskAfter, forKey: .nextAskAfter)
            try c.encodeIfPresent(tokenInfoError, forKey: .tokenInfoError)
            try c.encode(figureBelowLocal, forKey: .figureBelowLocal)
        }

        struct Figure: Encodable {
            var readAt: String
            var allTokenToday: Int
            var tokenLimit: Int?
            var tokenUseToday: Int?
            var callsSince: Int
        }
    }

    public func run() async throws {
        do {
            let context = try await CLIContext.make(global)
            guard let store = context.store else {
                throw APIError.storeUnavailable("the local store could not be opened, so token_info's 5-minute rule cannot be kept")
            }
            let outcome = await QuotaRefresher(client: context.client, store: store).refresh()
            let r = outcome.reading
            let quota = r.limit(or: context.config.dailyQuota)
            var failure: APIError?
            if case .failed(let error, _) = outcome { failure = error }
            if json {
                // A failed ask spent its call all the same.
                var asked = true
                if case .cached = outcome { asked = false }
                let iso = ISO8601DateFormatter()
                JSONOutput.emit(
                    Output(
                        asked: asked, used: r.used, quota: quota, localCallsToday: r.localCalls,
                        figure: r.figure.map {
                            .init(
                                readAt: iso.string(from: $0.readAt), allTokenToday: $0.allTokenToday,
                                tokenLimit: $0.tokenLimit, tokenUseToday: $0.tokenUseToday,
                                callsSince: r.callsSinceFigure ?? 0)
                        },
                        nextAskAfter: r.nextAskAt.map { iso.string(from: $0) },
                        tokenInfoError: failure.map { JSONOutput.failure("quota", $0).error }, figureBelowLocal: r.figureBelowLocal))
                if let failure { CLIOutput.error(Self.failedLine(failure, r)) }
                return
            }
            let c = CLIText.catalog
            func clock(_ d: Date?) -> String { d.map { Self.clock($0) } ?? "?" }
            let figures = [
                "used": c.number(r.used), "quota": c.number(quota), "since": c.number(r.callsSinceFigure ?? 0),
                "time": clock(r.figure?.readAt), "next": clock(r.nextAskAt), "asked": clock(r.askedAt),
                "local": c.number(r.localCalls),
            ]
            switch outcome {
            case .read: CLIOutput.line(c.text("quota.read", figures))
            case .cached: CLIOutput.line(c.text(r.figure == nil ? "quota.cached_none" : "quota.cached", figures))
            case .failed(let error, _): CLIOutput.error(Self.failedLine(error, r))
            }
            CLIOutput.line(c.plural("quota.local", r.localCalls))
            if r.figureBelowLocal { CLIOutput.line(c.text("quota.below_local", figures)) }
        } catch { throw report(error, command: "quota", json: json) }
    }

    static func failedLine(_ error: APIError, _ r: MeterReading) -> String {
        CLIText.text("quota.failed", ["reason": CLIText.catalog.explain(error), "local": CLIText.catalog.number(r.localCalls)])
    }

    static func clock(_ date: Date) -> String {
        let c = Calendar.current.dateComponents([.hour, .minute, .second], from: date)
        return String(format: "%02d:%02d:%02d", c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }
}
