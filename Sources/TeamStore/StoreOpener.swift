import ConsoleConfig
import Foundation
import LocalStore
import Logging
import WolkvoxAPI

/// The store a process works with, as the config names it, and the gate
/// that goes with it: the local SQLite store with the machine-wide gate, or
/// the team's PostgreSQL store with the team-wide gate (which falls back to
/// the machine-wide one while the database is unreachable).
public struct OpenedStore: Sendable {
    /// nil when it could not be opened: writes are then refused (nothing is
    /// sent that cannot be journaled) and reads still work.
    public var store: (any OperationStore)?
    /// Why the store is missing or degraded, in one line; nil when all is well.
    public var problem: String?
    /// The team store (for its gate), when the config names one.
    public var team: PostgresStore?
    /// The problem is that the database did not answer (not a refusal, a
    /// newer schema or a local file that would not open).
    public var unreachable: Bool

    public init(store: (any OperationStore)?, problem: String?, team: PostgresStore? = nil, unreachable: Bool = false) {
        self.store = store
        self.problem = problem
        self.team = team
        self.unreachable = unreachable
    }

    /// What the client journals to: the store, or one that refuses with `problem`.
    public var journal: any MutationJournal {
        store.map { $0 as any MutationJournal } ?? UnavailableJournal(reason: problem ?? "no store")
    }

    /// The gate for this config's server and token: team-wide with a team
    /// store, else nil (the client's machine-wide default).
    public func gate(config: AppConfig, environment: [String: String]) throws -> (any PermitGate)? {
        guard let team, let token = config.token else { return nil }
        let server = try config.endpoint().server
        let fallback = try config.machineGate(server: server, tokenFingerprint: token.fingerprint, environment: environment)
        return PostgresGate(store: team, server: server, tokenFingerprint: token.fingerprint, limit: config.maxInFlight, fallback: fallback)
    }

    public func close() { team?.close() }
}

public enum StoreOpener {
    /// Opens what `config.store` names. `localPath` is the SQLite file (the
    /// demo keeps its own). A team store that cannot be reached now is still
    /// returned, checked at its first use, with `problem` saying so.
    public static func open(_ config: AppConfig, localPath: URL, environment: [String: String] = ProcessInfo.processInfo.environment) async -> OpenedStore {
        let operatorName = config.operatorName ?? OperatorName.fallback
        switch config.store {
        case .local:
            do { return OpenedStore(store: try ConsoleStore(path: localPath, operatorName: operatorName), problem: nil) } catch {
                return OpenedStore(store: nil, problem: "\(error)")
            }
        case .postgres(let location):
            do {
                let store = try await PostgresStore.open(location, operatorName: operatorName, environment: environment)
                return OpenedStore(store: store, problem: nil, team: store)
            } catch PostgresStore.Failure.unreachable(let why) {
                Logger(label: "wvconsole.teamstore").warning("team store unreachable at start", metadata: ["reason": "\(why)"])
                guard let store = try? PostgresStore.deferred(location, operatorName: operatorName, environment: environment) else {
                    return OpenedStore(store: nil, problem: why, unreachable: true)
                }
                return OpenedStore(store: store, problem: why, team: store, unreachable: true)
            } catch {
                return OpenedStore(store: nil, problem: storeReason(error))
            }
        }
    }
}
