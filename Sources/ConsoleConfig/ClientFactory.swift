import Foundation
import Logging
import WolkvoxAPI

extension AppConfig {
    /// The endpoint this config points at, or a one-line error saying what is missing.
    public func endpoint() throws -> ServiceEndpoint {
        guard let server else {
            throw ConfigError("No server configured: set server in config.toml or WOLKVOX_SERVER (e.g. 0025).")
        }
        do { return try ServiceEndpoint(server: server, baseURL: baseURL) } catch let v as ValidationError {
            throw ConfigError(v.message)
        }
    }

    /// Builds the one API client a process uses. `gate` is shared by every
    /// caller in the process (console and bulk jobs alike) so the token's
    /// in-flight limit holds across all of them.
    public func makeClient(transport: any HTTPTransport = URLSessionTransport(), gate: TokenGate? = nil,
                           journal: any MutationJournal, meter: (any CallMeter)? = nil) throws -> WolkvoxClient {
        let endpoint = try endpoint()
        guard let token else {
            throw ConfigError("No API token: set WOLKVOX_TOKEN or token_file in config.toml (a file only you can read).")
        }
        var client = WolkvoxClient(endpoint: endpoint, token: token, transport: transport,
                                   gate: gate ?? TokenGate(limit: maxInFlight), journal: journal, meter: meter,
                                   readOnly: readOnly)
        client.countryCode = countryCode
        client.logger = Logger(label: "wvconsole.api")
        return client
    }
}
