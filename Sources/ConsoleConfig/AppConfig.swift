import Foundation
import Logging
import WolkvoxAPI

/// Everything the console and the CLI read from `config.toml`, the
/// environment and the command line, merged (command line wins, then
/// environment, then file). The token is held as an `APIToken`, whose
/// description is redacted, so printing a config can never leak it.
public struct AppConfig: Sendable {
    /// A campaign listed in the config, used when the campaign API is
    /// unreachable or the operator wants a short list.
    public struct CampaignEntry: Sendable, Equatable {
        public var id: String
        public var name: String
        public var type: CampaignType
    }

    public var server: String?
    public var token: APIToken?
    /// Overrides `https://wv<server>.wolkvox.com` (tests, the simulator, proxies).
    public var baseURL: URL?
    /// Licences on the token: the daily quota is `licenses × 1000` calls.
    public var licenses: Int
    /// Requests in flight per token: 1 (default) or 2; the API allows no more.
    public var maxInFlight: Int
    public var readOnly: Bool
    public var theme: String
    /// "en", "es", "pt" or nil to follow the locale.
    public var language: String?
    public var campaigns: [CampaignEntry]
    /// Default days for DNC blocks.
    public var dncDays: Int
    /// Key remapping: action name → key spec ("ctrl-f", "F5", "x").
    public var keys: [String: String]
    /// The operation's country code ("57"), so `+57 300 123 4567` is read as
    /// the national `3001234567`; nil keeps a leading `+` as typed.
    public var countryCode: String?
    /// `log_level` from config.toml (trace … critical); nil = the default.
    public var logLevel: Logger.Level?
    /// Where the journal, audit, meter and gate live: the local SQLite store or a team's PostgreSQL.
    public var store: StoreLocation = .local
    /// Who acts, written on every journaled action (`operator`; default os-user@hostname).
    public var operatorName: String?
    /// Per campaign: names for its opt fields (`[labels."101"]` `opt1 = "Saldo"`).
    public var labels: [String: [String: String]] = [:]
    /// Per campaign: the results table's columns, in order (`[columns]` `"101" = ["name", "opt1"]`).
    public var columns: [String: [String]] = [:]
    /// The columns `[columns]` may name.
    public static let columnNames = ["name", "customer_id", "phones", "tel1", "tel2", "tel3", "result", "calls", "date", "campaign_id"] + (1...12).map { "opt\($0)" }
    /// Exported CSV files start with a UTF-8 BOM (`export_bom`), so Excel reads accents right.
    public var exportBOM = false
    /// Exported CSV cells are written as they came (`export_raw`), without
    /// the leading `'` that keeps a spreadsheet from running `=…` as a formula.
    public var exportRaw = false
    /// Where the config was read from, for messages.
    public var source: URL?

    public init(
        server: String? = nil, token: APIToken? = nil, baseURL: URL? = nil, licenses: Int = 5,
        maxInFlight: Int = 1, readOnly: Bool = false, theme: String = "dark", language: String? = nil,
        campaigns: [CampaignEntry] = [], dncDays: Int = 30, keys: [String: String] = [:], source: URL? = nil
    ) {
        self.server = server
        self.token = token
        self.baseURL = baseURL
        self.licenses = licenses
        self.maxInFlight = maxInFlight
        self.readOnly = readOnly
        self.theme = theme
        self.language = language
        self.campaigns = campaigns
        self.dncDays = dncDays
        self.keys = keys
        self.source = source
    }

    /// Calls allowed per day on this token.
    public var dailyQuota: Int { licenses * 1000 }
}
