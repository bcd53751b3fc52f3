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
                var asked = false
                if case .read = outcome { asked = true }
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
                        tokenInfoError: failure.map { JSONOutput.failure("quota", $0).error }))
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
