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

    /// Builds the one API client a process uses. Its gate is shared by every
    /// caller in the process (console and bulk jobs alike) and, through lock
    /// files, by every wvconsole process on this machine that uses the same
    /// server and token, so the token's in-flight limit holds across all of
    /// them. `gate` replaces it (tests, a team-wide gate).
    public func makeClient(
        transport: any HTTPTransport = NIOTransport.shared, gate: (any PermitGate)? = nil,
        journal: any MutationJournal, meter: (any CallMeter)? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> WolkvoxClient {
        let endpoint = try endpoint()
        guard let token else {
            throw ConfigError("No API token: set WOLKVOX_TOKEN or token_file in config.toml (a file only you can read).")
        }
        // A proxy variable that is set but unusable is an error, not a silent direct connection.
        if let problem = ProxySettings(environment: environment).problem(for: endpoint.baseURL) { throw ConfigError(problem) }
        let permits = try gate ?? machineGate(server: endpoint.server, tokenFingerprint: token.fingerprint, environment: environment)
        var client = WolkvoxClient(
            endpoint: endpoint, token: token, transport: transport,
            gate: permits, journal: journal, meter: meter,
            readOnly: readOnly)
        client.countryCode = countryCode
        client.logger = Logger(label: "wvconsole.api")
        return client
    }
}

extension AppConfig {
    /// The machine-wide gate for this server and token: lock files in the
    /// one folder every process of this user finds (`AppPaths.gateDirectories`).
    /// Taking the fallback folder is said on stderr and in the log: a process
    /// that took another folder would be a second gate on the same token.
    public func machineGate(server: String, tokenFingerprint: String, environment: [String: String]) throws -> MachineGate {
        var problems: [String] = []
        for directory in AppPaths.gateDirectories(environment: environment) {
            do {
                let gate = try MachineGate(directory: directory, server: server, tokenFingerprint: tokenFingerprint, limit: maxInFlight)
                if !problems.isEmpty {
                    let line = "the request-slot locks are in \(directory.path), not the usual folder (\(problems.joined(separator: "; "))); processes that use the usual one do not share slots with this one"
                    Logger(label: "wvconsole.gate").warning("request-slot folder fallback", metadata: ["folder": "\(directory.path)", "why": "\(problems.joined(separator: "; "))"])
                    FileHandle.standardError.write(Data("wvconsole: warning: \(line)\n".utf8))
                }
                return gate
            } catch {
                problems.append("\(error)")
            }
        }
        throw ConfigError("No folder for the request-slot locks: " + problems.joined(separator: "; "))
    }
}
