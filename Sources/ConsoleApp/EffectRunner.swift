import Foundation
import LocalStore
import TUIKit
import WolkvoxAPI

/// Performs effects off the UI path and reports back as Actions. Searches
/// are cancellable by generation; writes are never cancelled once sent.
public actor EffectRunner {
    let client: WolkvoxClient
    let store: ConsoleStore?
    let themeSearchPaths: [URL]
    let send: @Sendable (Action) -> Void
    var searches: [Int: Task<Void, Never>] = [:]

    public init(client: WolkvoxClient, store: ConsoleStore?, themeSearchPaths: [URL], send: @escaping @Sendable (Action) -> Void) {
        self.client = client
        self.store = store
        self.themeSearchPaths = themeSearchPaths
        self.send = send
    }

    public func run(_ effect: Effect) {
        let client = self.client, send = self.send, store = self.store
        switch effect {
        case .loadCampaigns:
            Task {
                do { send(.campaignsLoaded(.success(try await client.campaigns()))) } catch { send(.campaignsLoaded(.failure(Self.api(error)))) }
                self.reportCalls()
            }
        case .search(let generation, let query):
            searches[generation] = Task {
                let started = ContinuousClock.now
                let result: Result<FindAnswer, APIError>
                do { result = .success(try await client.find(query)) } catch { result = .failure(Self.api(error)) }
                let elapsed = ContinuousClock.now - started
                send(.searchFinished(generation: generation, result, seconds: elapsed.seconds))
                await self.finished(generation)
            }
        case .cancelSearch(let generation):
            searches.removeValue(forKey: generation)?.cancel()
        case .recall(let id, let order):
            Task {
                do { send(.actionFinished(id: id, .recalled(try await client.recall(order), RecordKey(campaignID: order.campaignID, customerID: order.customerID)))) }
                catch { send(.actionFinished(id: id, .failed(Self.api(error)))) }
                self.reportCalls()
            }
        case .remove(let id, let order):
            Task {
                let keys = Set(order.customerIDs.map { RecordKey(campaignID: order.campaignID, customerID: $0) })
                do { send(.actionFinished(id: id, .removed(try await client.remove(order), keys))) }
                catch { send(.actionFinished(id: id, .failed(Self.api(error)))) }
                self.reportCalls()
            }
        case .addDNC(let id, let entries):
            Task {
                do { send(.actionFinished(id: id, .blocked(try await client.addDNC(entries)))) } catch { send(.actionFinished(id: id, .failed(Self.api(error)))) }
                self.reportCalls()
            }
        case .addRecords(let id, let records, let campaignID, let status):
            Task {
                do { send(.actionFinished(id: id, .added(try await client.addRecords(records, campaignID: campaignID, campaignStatus: status)))) }
                catch { send(.actionFinished(id: id, .failed(Self.api(error)))) }
                self.reportCalls()
            }
        case .checkExisting(let id, let customerID, let campaignID):
            Task {
                do {
                    let answer = try await client.find(FindQuery(customerID: customerID, campaignID: campaignID))
                    send(.existingChecked(id: id, .success(answer.records.filter { $0.customerID == customerID })))
                } catch { send(.existingChecked(id: id, .failure(Self.api(error)))) }
                self.reportCalls()
            }
        case .rememberSearch(let campaignID, let kind, let text):
            try? store?.recordSearch(campaignID: campaignID, kind: kind, text: text)
        case .loadHistory(let campaignID):
            let items = (try? store?.recentSearches(campaignID: campaignID).map(\.text)) ?? []
            send(.historyLoaded(campaignID: campaignID, items))
        case .loadTheme(let name):
            do { send(.themeLoaded(.success(try Theme.load(name, searchPaths: themeSearchPaths)))) }
            catch { send(.themeLoaded(.failure(ThemeFailure("\(error)")))) }
        case .loadHistoryLog:
            let entries = (try? store?.auditEntries(limit: 200)) ?? []
            send(.historyLog(entries.map { e in
                HistoryLine(time: e.createdAt.replacingOccurrences(of: "T", with: " "), api: e.api, campaign: e.campaignID ?? "-",
                            items: e.itemCount, outcome: e.outcome, resolved: e.resolvedAt != nil, message: e.message ?? "")
            }))
        case .copy, .redraw, .quit:
            break // handled by the loop, which owns the terminal
        }
    }

    func finished(_ generation: Int) { searches.removeValue(forKey: generation) }

    /// Calls made today feed the status bar; counted locally, never polled.
    nonisolated func reportCalls() {
        guard let store else { return }
        if let n = try? store.callsToday(server: client.endpoint.server, fingerprint: client.tokenFingerprint) { send(.callsToday(n)) }
    }

    public nonisolated func initialCalls() { reportCalls() }

    static func api(_ error: any Error) -> APIError {
        if let e = error as? APIError { return e }
        if error is CancellationError { return .cancelled }
        return .network(String(describing: error))
    }
}
