import ConsoleConfig
import Foundation
import LocalStore
import TeamStore
import WolkvoxAPI

// Team mode's figures (issue 21), against the PostgreSQL named by
// WVCONSOLE_TEST_PG (scripts/test-postgres.sh start DIR prints one):
//   TeamProbe     uncontended team-gate acquire+release, and a journal
//                 intent+outcome round trip: p50/p99/max over 2,000 each

func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }
func percentile(_ xs: [Double], _ p: Double) -> Double {
    let s = xs.sorted()
    return s[min(s.count - 1, Int(Double(s.count) * p))]
}
func report(_ what: String, _ xs: [Double]) {
    print(String(format: "%@: p50 %.3f ms · p99 %.3f ms · max %.3f ms (n=%d)", what, percentile(xs, 0.5), percentile(xs, 0.99), xs.max()!, xs.count))
}

guard let url = ProcessInfo.processInfo.environment["WVCONSOLE_TEST_PG"],
    case .postgres(var location) = try StoreLocation.parse(url, from: "WVCONSOLE_TEST_PG")
else {
    print("set WVCONSOLE_TEST_PG=postgresql://user@host:port/db (scripts/test-postgres.sh start DIR)")
    exit(1)
}
location.sslMode = .disable
let store = try await PostgresStore.open(location, operatorName: "probe", environment: ProcessInfo.processInfo.environment)
let gate = PostgresGate(store: store, server: "bench", tokenFingerprint: "0123456789abcdef", limit: 1, fallback: nil)
let clock = ContinuousClock()
for _ in 0..<200 { try await gate.withPermit {} }
var times: [Double] = []
for _ in 0..<2_000 {
    let start = clock.now
    try await gate.withPermit {}
    times.append(ms(clock.now - start))
}
report("team gate acquire+release", times)
let intent = MutationIntent(api: .addDNC, server: "bench", campaignID: nil, method: .POST, url: "https://bench/api", body: "[]", itemCount: 1)
var journal: [Double] = []
for _ in 0..<2_000 {
    let start = clock.now
    let id = try await store.recordIntent(intent)
    try await store.recordOutcome(id, MutationOutcome(state: .succeeded, status: 201, code: 201, message: "ok"))
    journal.append(ms(clock.now - start))
}
report("journal intent+outcome round trip", journal)
store.close()
