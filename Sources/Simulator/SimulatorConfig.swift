import Foundation

/// How to start a simulator. Defaults suit `--demo`: loopback, a free port,
/// six campaigns, 3,000 records and the demo token.
public struct SimulatorConfig: Sendable {
    /// The token demos and tests use; a real token is never needed here.
    public static let demoToken = "demo-token-0000"

    public var host: String
    public var port: Int
    public var records: Int
    public var campaigns: Int
    public var seed: UInt64
    public var token: String
    public var licenses: Int
    public var faults: FaultPlan
    /// Every Nth record shares `SeedData.sharedPhone` (0 = none).
    public var hotPhoneEvery: Int
    /// Calls the operation's other tokens already made today: token_info's
    /// `all_token_today` counts them (and the account's quota holds them),
    /// `token_use_today` does not — as on an account with several tokens.
    public var otherTokensToday: Int

    public init(
        host: String = "127.0.0.1", port: Int = 0, records: Int = 3_000, campaigns: Int = 6, seed: UInt64 = 42,
        token: String = SimulatorConfig.demoToken, licenses: Int = 5, faults: FaultPlan = .none, hotPhoneEvery: Int = 50,
        otherTokensToday: Int = 0
    ) {
        self.host = host
        self.port = port
        self.records = records
        self.campaigns = campaigns
        self.seed = seed
        self.token = token
        self.licenses = licenses
        self.faults = faults
        self.hotPhoneEvery = hotPhoneEvery
        self.otherTokensToday = otherTokensToday
    }
}
