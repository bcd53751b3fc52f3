import Foundation
import WolkvoxAPI

/// One HTTP request, independent of the server library.
struct SimRequest: Sendable {
    var method: String
    var path: String
    var rawQuery: String
    var query: [String: String]
    var headers: [String: String]
    var body: Data
}

/// What to answer, and how (faults that act on the connection itself).
struct SimResponse: Sendable {
    var status: Int
    var contentType = "application/json; charset=utf-8"
    var body: Data
    var delayMilliseconds = 0
    var stall = false
    var reset = false
    /// For the redirect fault.
    var location: String?
    /// For the gzipbomb fault.
    var contentEncoding: String?
    /// For the trickle fault: the body is paced at this rate.
    var trickleBytesPerSecond = 0
}

/// The simulated service: data, rules and counters in one actor, so
/// concurrent requests see a consistent state.
actor SimulatorCore {
    let config: SimulatorConfig
    var campaigns: [SimCampaign]
    var records: [RecordKey: SimRecord] = [:]
    var phoneIndex: [String: Set<RecordKey>] = [:]
    var idIndex: [String: Set<RecordKey>] = [:]
    var nextSeq: Int
    var dnc: [String: Int] = [:]
    var faults: FaultPlan
    var rng: SeededRandom
    var callsToday = 0
    var inFlight: [String: Int] = [:]
    var peakInFlight = 0
    var rejectedForConcurrency = 0
    var log: [RecordedRequest] = []
    var requestCount = 0
    var duplicatesReceived = 0
    static let logLimit = 5_000

    init(config: SimulatorConfig) {
        self.config = config
        campaigns = SeedData.campaigns(count: config.campaigns, seed: config.seed)
        let seeded = SeedData.records(count: config.records, campaigns: campaigns, seed: config.seed, hotPhoneEvery: config.hotPhoneEvery)
        nextSeq = seeded.count
        faults = config.faults
        rng = SeededRandom(seed: config.seed ^ 0xFA17)
        var records: [RecordKey: SimRecord] = [:], phones: [String: Set<RecordKey>] = [:], ids: [String: Set<RecordKey>] = [:]
        records.reserveCapacity(seeded.count)
        for r in seeded {
            let key = r.record.key
            records[key] = r
            for p in r.record.phones { phones[p, default: []].insert(key) }
            ids[r.record.customerID, default: []].insert(key)
        }
        self.records = records
        phoneIndex = phones
        idIndex = ids
    }

    // MARK: data

    func insert(_ r: SimRecord) {
        let key = r.record.key
        if let old = records[key] { unindex(old) }
        records[key] = r
        for p in r.record.phones { phoneIndex[p, default: []].insert(key) }
        idIndex[r.record.customerID, default: []].insert(key)
    }

    func unindex(_ r: SimRecord) {
        let key = r.record.key
        for p in r.record.phones { phoneIndex[p]?.remove(key) }
        idIndex[r.record.customerID]?.remove(key)
    }

    func delete(_ key: RecordKey) {
        guard let r = records.removeValue(forKey: key) else { return }
        unindex(r)
    }

    func record(campaignID: String, customerID: String) -> SimRecord? {
        records[RecordKey(campaignID: campaignID, customerID: customerID)]
    }

    func snapshot() -> SimulatorStateSnapshot {
        var counts: [String: Int] = [:]
        for key in records.keys { counts[key.campaignID, default: 0] += 1 }
        return SimulatorStateSnapshot(
            campaigns: campaigns.map { .init(id: $0.id, name: $0.name, type: $0.type.rawValue, status: $0.status, records: counts[$0.id] ?? 0) },
            totalRecords: records.count, dnc: dnc, callsToday: callsToday, peakInFlight: peakInFlight,
            rejectedForConcurrency: rejectedForConcurrency, requestCount: requestCount,
            duplicatesReceived: duplicatesReceived)
    }

    func requests() -> [RecordedRequest] { log }

    // MARK: paced answers (trickle)

    var transferLog: [SimTransfer] = []
    func beginTransfer(api: String, total: Int) -> Int {
        transferLog.append(SimTransfer(api: api, totalBytes: total, sentBytes: 0, state: .sending))
        return transferLog.count - 1
    }
    func progress(_ id: Int, sent: Int, state: SimTransfer.State) {
        transferLog[id].sentBytes = sent
        transferLog[id].state = state
    }
    func transfers() -> [SimTransfer] { transferLog }
    func clearRequests() { log.removeAll() }
    func setFaults(_ plan: FaultPlan) { faults = plan }
    func currentFaults() -> FaultPlan { faults }

    // MARK: concurrency accounting

    /// Counts a request in flight for its token; false when it is the third.
    func enter(token: String) -> Bool {
        let n = (inFlight[token] ?? 0) + 1
        if n > 2 {
            rejectedForConcurrency += 1
            return false
        }
        inFlight[token] = n
        peakInFlight = max(peakInFlight, n)
        return true
    }

    func leave(token: String) {
        inFlight[token] = max(0, (inFlight[token] ?? 1) - 1)
    }

    func recordRequest(_ request: SimRequest, status: Int) {
        requestCount += 1
        var headers = request.headers
        if headers[WolkvoxHeader.token] != nil { headers[WolkvoxHeader.token] = "<redacted>" }
        let text = String(decoding: request.body.prefix(65_536), as: UTF8.self)
        log.append(
            RecordedRequest(
                method: request.method, path: request.path, query: request.rawQuery, headers: headers,
                body: request.body.count > 65_536 ? text + "…" : text, bodyBytes: request.body.count, status: status))
        if log.count > Self.logLimit { log.removeFirst(log.count - Self.logLimit) }
    }

    /// The quota is the account's (licenses × 1000 a day), shared by all its tokens.
    func countCall() -> Bool {
        callsToday += 1
        return callsToday + config.otherTokensToday <= config.licenses * 1000
    }

    func drawFaults(for api: String) -> [FaultPlan.Kind] {
        faults.draw(for: api, rng: &rng)
    }
}
