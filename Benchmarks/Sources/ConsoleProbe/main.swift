import ConsoleApp
import Foundation
import Simulator
import TUIKit
import WolkvoxAPI

// Prints the console's figures at the API's maximum (60,000 rows):
// keypress → frame (update + full render of a 120×40 buffer) p50/p99,
// `/` filter per keystroke, RSS with the rows loaded, and demo start
// (simulator up + campaign list + first frame) — all in one run.

func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }
func percentile(_ xs: [Double], _ p: Double) -> Double {
    let s = xs.sorted()
    return s[min(s.count - 1, Int(Double(s.count) * p))]
}
func rssMB() -> Double {
    let text = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = text.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
    return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
}

let clock = ContinuousClock()
let names = ["María José", "João", "山田", "Ana 🌻", "Zoë", "Peñaloza Ñúñez"]
let records = (0..<60_000).map { i in
    CustomerRecord(
        customerName: names[i % names.count], customerLastName: "Gómez \(i)", customerID: "CC\(100_000 + i)",
        opts: ["saldo \(i * 7 % 100_000)"] + Array(repeating: "", count: 11), tel1: "300\(1_000_000 + i)",
        tel2: i % 3 == 0 ? "601\(2_000_000 + i)" : "", date: "2026-11-\(10 + i % 18) 14:05:00", calls: String(i % 9),
        connID: "c\(i)", result: RecordResult.allCases[i % 10].rawValue, campaignID: String(101 + i % 6))
}
let rssBefore = rssMB()
var state = AppState(size: Size(width: 120, height: 40), server: "bench")
let loadStart = clock.now
_ = update(&state, .searchFinished(generation: 0, .success(FindAnswer(query: FindQuery(phone: "1"), records: records, message: "")), seconds: 0))
state.search = nil
state.generation = 1
state.search = RunningSearch(generation: 1, query: FindQuery(phone: "3001234567"), started: Date())
_ = update(&state, .searchFinished(generation: 1, .success(FindAnswer(query: FindQuery(phone: "3001234567"), records: records, message: "")), seconds: 0))
let loadTime = clock.now - loadStart

var frames: [Double] = []
for i in 0..<2000 {
    let start = clock.now
    _ = update(&state, .key(i % 500 < 250 ? .down : .pageDown))
    var buffer = Buffer(size: state.size)
    render(state, into: &buffer)
    frames.append(ms(clock.now - start))
}
var filterTimes: [Double] = []
for word in ["g", "gó", "góm", "góme", "gómez", "gómez 1", "gómez 12"] + ["p", "pe", "peñ", "peña"] {
    let start = clock.now
    _ = update(&state, .key(.char("/")))
    state.resultsFilter = nil
    var model = state.results
    model.setFilter(word)
    state.results = model
    var buffer = Buffer(size: state.size)
    render(state, into: &buffer)
    filterTimes.append(ms(clock.now - start))
}
let rss = rssMB()

// Demo start → first frame: what `wvconsole --demo` does before the first draw.
let demoStart = clock.now
let sim = try await SimulatorServer.start(SimulatorConfig())
let client = WolkvoxClient(
    endpoint: try ServiceEndpoint(server: "demo", baseURL: sim.baseURL), token: APIToken(SimulatorConfig.demoToken)!,
    transport: NIOTransport.shared, gate: TokenGate(), journal: MemoryJournal())
var demo = AppState(size: Size(width: 120, height: 36), server: "demo")
var firstFrame = Buffer(size: demo.size)
render(demo, into: &firstFrame)
let toFirstFrame = clock.now - demoStart
_ = update(&demo, .campaignsLoaded(.success(try await client.campaigns())))
let toCampaigns = clock.now - demoStart
await sim.stop()

print(String(format: "load 60k rows into results: %.1f ms", ms(loadTime)))
print(
    String(
        format: "keypress → frame at 60k rows (120×40): p50 %.3f ms · p99 %.3f ms · max %.3f ms (n=%d)",
        percentile(frames, 0.5), percentile(frames, 0.99), frames.max()!, frames.count))
print(
    String(format: "/ filter per keystroke at 60k rows: p50 %.2f ms · max %.2f ms (n=%d)", percentile(filterTimes, 0.5), filterTimes.max()!, filterTimes.count))
print(String(format: "RSS with 60k rows loaded: %.1f MB (before loading %.1f MB)", rss, rssBefore))
print(String(format: "demo start → first frame: %.1f ms · → campaign list shown: %.1f ms", ms(toFirstFrame), ms(toCampaigns)))
