import Foundation
import LocalStore
import TUIKit
import WolkvoxAPI

/// Performs effects off the UI path and reports back as Actions. Searches
/// are cancellable by generation; writes are never cancelled once sent.
///
/// The meter is live: every call (each search, write, import chunk, the
/// campaign list, token_info) reports the store's count when it ends, and a
/// cheap read of the store every `meterPoll` shows calls other wvconsole
/// processes on the machine made — never an API call.
public actor EffectRunner {
    let client: WolkvoxClient
    let store: (any OperationStore)?
    let themeSearchPaths: [URL]
    let send: @Sendable (Action) -> Void
    var searches: [Int: Task<Void, Never>] = [:]
    let meterPoll: Duration
    let lastMeter = LastMeter()
    var poller: Task<Void, Never>?

    let storeHealth = LastHealth()

    public init(
        client: WolkvoxClient, store: (any OperationStore)?, themeSearchPaths: [URL], meterPoll: Duration = .milliseconds(500),
        send: @escaping @Sendable (Action) -> Void
    ) {
        self.client = client
        self.store = store
        self.themeSearchPaths = themeSearchPaths
        self.meterPoll = meterPoll
        self.send = send
    }

    /// The last reading sent, so the poll sends only changes.
    final class LastMeter: @unchecked Sendable {
        private let lock = NSLock()
        private var value: MeterReading?
        /// True when `reading` differs from the last one (and records it).
        func changed(to reading: MeterReading) -> Bool {
            lock.withLock {
                guard value != reading else { return false }
                value = reading
                return true
            }
        }
    }

    /// The read-back of one change: its newest unconfirmed journal entry
    /// (same api, campaign and body) is reconciled and resolved with the
    /// evidence; without one (already resolved, or no store) the server is
    /// still asked and the verdict shown, but nothing is recorded.
    static func checkOutcome(_ call: APICall, client: WolkvoxClient, store: (any OperationStore)?) async -> Result<Reconciliation, APIError> {
        do {
            let body = try client.journaledBody(call)
            let api = call.api.rawValue
            if let store, let entry = try? await store.newestUnconfirmed(call, client: client) {
                let r = await Reconciler.reconcile(entry, client: client, store: store)
                if let failure = r.failure { return .failure(failure) }
                return .success(r)
            }
            let back = try await client.readBack(api: api, campaignID: call.campaignID, body: body)
            return .success(
                Reconciliation(
                    id: 0, api: api, campaignId: call.campaignID, items: call.itemCount, verdict: back.verdict, evidence: back.evidence,
                    calls: back.calls, resolved: false, error: nil, failure: nil))
        } catch {
            return .failure(api(error))
        }
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
                self.reportCalls()
                self.finished(generation)
            }
        case .cancelSearch(let generation):
            searches.removeValue(forKey: generation)?.cancel()
        case .recall(let id, let order):
            Task {
                do {
                    send(
                        .actionFinished(
                            id: id, .recalled(try await client.recall(order), RecordKey(campaignID: order.campaignID, customerID: order.customerID))))
                } catch { send(.actionFinished(id: id, .failed(Self.api(error)))) }
                self.reportCalls()
            }
        case .remove(let id, let order):
            Task {
                let keys = Set(order.customerIDs.map { RecordKey(campaignID: order.campaignID, customerID: $0) })
                do { send(.actionFinished(id: id, .removed(try await client.remove(order), keys))) } catch {
                    send(.actionFinished(id: id, .failed(Self.api(error))))
                }
                self.reportCalls()
            }
        case .addDNC(let id, let entries):
            Task {
                do { send(.actionFinished(id: id, .blocked(try await client.addDNC(entries, onChunk: { _ in self.reportCalls() })))) } catch {
                    send(.actionFinished(id: id, .failed(Self.api(error))))
                }
                self.reportCalls()
            }
        case .addRecords(let id, let records, let campaignID, let status):
            Task {
                do {
                    send(
                        .actionFinished(
                            id: id,
                            .added(
                                try await client.addRecords(
                                    records, campaignID: campaignID, campaignStatus: status,
                                    onChunk: { _ in self.reportCalls() }))))
                } catch { send(.actionFinished(id: id, .failed(Self.api(error)))) }
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
        case .reconcileEntry(let id):
            Task {
                guard let store else {
                    send(.entryReconciled(id, .failure(.storeUnavailable("no store could be opened"))))
                    return
                }
                do {
                    guard let entry = try await store.unconfirmed().first(where: { $0.id == id }) else {
                        send(.entryReconciled(id, .failure(.storeUnavailable("the action is no longer unconfirmed"))))
                        return
                    }
                    let r = await Reconciler.reconcile(entry, client: client, store: store)
                    send(.entryReconciled(id, r.failure.map { .failure($0) } ?? .success(r)))
                } catch {
                    send(.entryReconciled(id, .failure(.storeUnavailable(storeReason(error)))))
                }
                self.reportCalls()
            }
        case .checkOutcome(let id, let call):
            Task {
                send(.outcomeChecked(id: id, await Self.checkOutcome(call, client: client, store: store)))
                self.reportCalls()
            }
        case .rememberSearch(let campaignID, let kind, let text):
            Task { try? await store?.recordSearch(campaignID: campaignID, kind: kind, text: text) }
        case .loadHistory(let campaignID):
            Task {
                let items = (try? await store?.recentSearches(campaignID: campaignID, limit: 50).map(\.text)) ?? []
                send(.historyLoaded(campaignID: campaignID, items))
            }
        case .loadTheme(let name):
            do { send(.themeLoaded(.success(try Theme.load(name, searchPaths: themeSearchPaths)))) } catch {
                send(.themeLoaded(.failure(ThemeFailure("\(error)"))))
            }
        case .export(let path, let records, let bom, let raw, let overwrite):
            Task { send(.exported(Self.export(records, to: path, bom: bom, raw: raw, overwrite: overwrite))) }
        case .loadHistoryLog:
            Task {
                guard let store else {
                    send(.historyLog(.failure(HistoryFailure("no store could be opened"))))
                    return
                }
                do {
                    // Unconfirmed first (oldest first, as audit --unconfirmed lists them), then the rest, newest first.
                    let open = try await store.unconfirmed()
                    let openIDs = Set(open.map(\.id))
                    let entries = open + (try await store.auditEntries(since: nil, limit: 200, operatorName: nil)).filter { !openIDs.contains($0.id) }
                    send(
                        .historyLog(
                            .success(
                                entries.map { e in
                                    HistoryLine(
                                        time: e.createdAt.replacingOccurrences(of: "T", with: " "), api: e.api, campaign: e.campaignID ?? "-",
                                        items: e.itemCount, outcome: e.outcome, resolved: e.resolvedAt != nil, message: e.message ?? "",
                                        operatorName: e.actor, id: e.id, resolution: e.resolutionNote ?? "")
                                })))
                } catch {
                    // "No actions yet" would be a lie when the store did not answer.
                    send(.historyLog(.failure(HistoryFailure(storeReason(error)))))
                }
            }
        case .checkQuota:
            Task {
                guard let refresher = self.refresher else {
                    send(.quotaChecked(.failed(.storeUnavailable("no local store"), MeterReading(localCalls: 0)), onDemand: true))
                    return
                }
                send(.quotaChecked(await refresher.refresh(), onDemand: true))
                self.reportCalls()
            }
        case .copy, .redraw, .quit:
            break  // handled by the loop, which owns the terminal
        }
    }

    func finished(_ generation: Int) { searches.removeValue(forKey: generation) }

    nonisolated var refresher: QuotaRefresher? { store.map { QuotaRefresher(client: client, store: $0) } }

    /// Sends the store's meter if it moved: counted in the store (every
    /// process on the machine, or the whole team, adds to the same row), plus
    /// token_info's figure. A store that cannot be read is reported (and
    /// reported again once it answers), so the status line says so.
    nonisolated func reportCalls() {
        guard let store else { return }
        let (send, server, fingerprint, lastMeter, health) = (self.send, client.endpoint.server, client.tokenFingerprint, self.lastMeter, storeHealth)
        Task {
            do {
                let reading = try await store.meterReading(server: server, fingerprint: fingerprint)
                if health.changed(to: nil) { send(.storeProblem(nil)) }
                if lastMeter.changed(to: reading) { send(.meter(reading)) }
            } catch {
                let problem = storeReason(error)
                if health.changed(to: problem) { send(.storeProblem(problem)) }
            }
        }
    }

    /// The store's last known health (nil: answering), so only changes are sent.
    final class LastHealth: @unchecked Sendable {
        private let lock = NSLock()
        private var value: String?
        private var known = false
        func changed(to problem: String?) -> Bool {
            lock.withLock {
                defer {
                    value = problem
                    known = true
                }
                return known ? (value == nil) != (problem == nil) : problem != nil
            }
        }
    }

    /// At start: the meter as it stands, the slot-wait indicator, token_info
    /// if the last figure is older than 5 minutes, and the meter's poll.
    public nonisolated func initialCalls() {
        reportCalls()
        let send = self.send
        client.gate.observeOutsideWait { send(.waitingForSlot($0)) }
        Lingering.shared.observe { send(.waitingForCancelled($0)) }
        client.gate.observeFallback { send(.gateFallback($0)) }
        Task { await self.startMeter() }
    }

    func startMeter() {
        guard poller == nil, let refresher else { return }
        let send = self.send
        Task {
            send(.quotaChecked(await refresher.refresh(), onDemand: false))
            self.reportCalls()
        }
        let every = meterPoll
        poller = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: every)
                guard let self else { return }
                self.reportCalls()
            }
        }
    }

    /// Stops the meter's poll (the console is closing).
    public func stop() {
        poller?.cancel()
        poller = nil
        client.gate.observeOutsideWait(nil)
        client.gate.observeFallback(nil)
        Lingering.shared.observe(nil)
    }

    static func api(_ error: any Error) -> APIError {
        if let e = error as? APIError { return e }
        if error is CancellationError { return .cancelled }
        return .network(String(describing: error))
    }
}

extension EffectRunner {
    /// Writes the CSV to a new owner-only file beside its final name (opened
    /// with O_EXCL, never following a link), then puts it in place: a hard
    /// link that fails if the name is taken, or rename(2) to replace with
    /// `overwrite`, so a reader never sees half a file. Where hard links are
    /// not supported (FAT, some network shares) the name is checked and renamed.
    static func export(_ records: [CustomerRecord], to path: String, bom: Bool, raw: Bool = false, overwrite: Bool) -> Result<ExportDone, ExportFailure> {
        // ~ is $HOME, as the shell reads it (not the password database's home).
        var expanded = path
        if path == "~" || path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"], home.hasPrefix("/") {
            expanded = home + path.dropFirst()
        }
        let url = URL(fileURLWithPath: expanded).standardizedFileURL
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) {
            if isFolder.boolValue { return .failure(.failed(path: url.path, reason: "it is a folder; give a file name")) }
            if !overwrite { return .failure(.exists(url.path)) }
        }
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).part").path
        func failure(_ code: Int32) -> Result<ExportDone, ExportFailure> {
            let reason = code == ENOENT ? "no such folder" : String(cString: strerror(code))
            return .failure(.failed(path: url.path, reason: reason))
        }
        let fd = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return failure(errno) }
        let data = RecordsCSV.data(records, bom: bom, raw: raw)
        let written = data.withUnsafeBytes { bytes -> Bool in
            var offset = 0
            while offset < bytes.count {
                let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return false }
                offset += n
            }
            return fsync(fd) == 0
        }
        let writeError = errno
        close(fd)
        defer { unlink(temporary) }
        guard written else { return failure(writeError) }
        if overwrite {
            guard rename(temporary, url.path) == 0 else { return failure(errno) }
        } else if link(temporary, url.path) != 0 {
            let code = errno
            if code == EEXIST { return .failure(.exists(url.path)) }
            guard code == EPERM || code == ENOTSUP || code == EOPNOTSUPP || code == EXDEV else { return failure(code) }
            guard !FileManager.default.fileExists(atPath: url.path) else { return .failure(.exists(url.path)) }
            guard rename(temporary, url.path) == 0 else { return failure(errno) }
        }
        return .success(ExportDone(path: url.path, count: records.count))
    }
}
