import Foundation
import WolkvoxAPI

// Usage: DecodeProbe FILE [runs]
// Decodes a find_record answer `runs` times (best time reported) the way the
// console does, and prints: best_ms rows peak_rss_mb
let args = CommandLine.arguments
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
