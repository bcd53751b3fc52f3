import Foundation
import WolkvoxAPI

// Usage: DecodeProbe FILE [runs]
// Decodes a find_record answer `runs` times (best time reported) the way the
// console does, and prints: best_ms rows peak_rss_mb
let args = CommandLine.arguments
// DecodeProbe --export N: best of 5 for writing N records as the export CSV;
// --breakdown N: best of 5 for the breakdown (B, find --stats) of N records.
if args.count == 3, args[1] == "--export" || args[1] == "--breakdown", let n = Int(args[2]) {
    let records = (0..<n).map { i in
        CustomerRecord(
            customerName: "María José \(i)", customerLastName: "Peñaloza, Ñúñez", customerID: "CC\(1_000_000 + i)",
            opts: ["saldo \(i * 7)", "Plan Móvil 20 GB", "Bogotá", "mora \(i % 200) días", "", "", "", "", "", "", "", ""],
            tel1: "300\(1_000_000 + i)", tel2: "601\(5_550_000 + i % 1000)", date: "2026-11-14 10:\(i % 60):00", calls: "\(i % 12)",
            connID: "c\(i)", result: RecordResult.allCases[i % RecordResult.allCases.count].rawValue, campaignID: "\(101 + i % 5)")
    }
    if args[1] == "--breakdown" {
        var best = Double.infinity
        var bars = 0
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            let b = Breakdown(records, now: Date(), timeZone: .current)
            bars = b.results.count + b.calls.count + b.days.count + b.campaigns.count
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        print(String(format: "breakdown of %d records: %.1f ms (%d bars)", n, best, bars))
        exit(0)
    }
    var best = Double.infinity
    var bytes = 0
    for _ in 0..<5 {
        let start = DispatchTime.now().uptimeNanoseconds
        bytes = RecordsCSV.data(records, bom: true).count
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    print(String(format: "export %d records: %.1f ms (%.1f MB)", n, best, Double(bytes) / 1_048_576))
    exit(0)
}
guard args.count >= 2, let data = FileManager.default.contents(atPath: args[1]) else {
    FileHandle.standardError.write(Data("usage: DecodeProbe FILE [runs]\n".utf8))
    exit(1)
}
let runs = args.count > 2 ? Int(args[2]) ?? 5 : 5
var best = Double.infinity
var rows = 0
for _ in 0..<runs {
    let start = DispatchTime.now().uptimeNanoseconds
    let envelope = try ResponseInterpreter.decode(HTTPResponse(status: 200, body: data), as: CustomerRecord.self)
    rows = envelope.data.count
    best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
}
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
print(String(format: "%.1f %d %.1f", best, rows, Double(usage.ru_maxrss) / 1024))
