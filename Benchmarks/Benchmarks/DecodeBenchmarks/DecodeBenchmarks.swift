import Benchmark
import Foundation
import WolkvoxAPI

/// Decoding the API's largest answer (60,000 records) must not be the slow
/// part of a search: target at most jq's time on the same bytes.
let benchmarks: @Sendable () -> Void = {
    let body = FindAnswerFixture.json(records: 60_000)
    Benchmark("decode find_record 60k", configuration: .init(metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal],
                                                             maxDuration: .seconds(10), maxIterations: 10)) { benchmark in
        for _ in benchmark.scaledIterations {
            let e = try ResponseInterpreter.decode(HTTPResponse(status: 200, body: body), as: CustomerRecord.self)
            blackHole(e.data.count)
        }
    }
    let small = FindAnswerFixture.json(records: 3)
    Benchmark("decode find_record 3 rows", configuration: .init(metrics: [.wallClock, .mallocCountTotal])) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try ResponseInterpreter.decode(HTTPResponse(status: 200, body: small), as: CustomerRecord.self).data.count)
        }
    }
}

/// A deterministic answer shaped like the simulator's (same fields, varied text).
enum FindAnswerFixture {
    static func json(records: Int) -> Data {
        let names = ["María José", "João", "山田", "Ana 😀", "Zoë", "Peñaloza Ñúñez"]
        var out = #"{"code":"200","error":null,"msg":"\#(records) records were found","data":["#
        out.reserveCapacity(records * 420)
        for i in 0..<records {
            if i > 0 { out += "," }
            out += #"{"customer_name":"\#(names[i % names.count])","customer_last_name":"Gómez \#(i)","customer_id":"CC\#(100000 + i)","#
            for o in 1...12 { out += #""opt\#(o)":"\#(o == 1 ? "saldo \(i * 7 % 100000)" : "")","# }
            out += #""tel1":"300\#(1000000 + i)","tel2":"\#(i % 3 == 0 ? "601\(2000000 + i)" : "")","tel3":"","date":"2026-11-\#(10 + i % 18) 14:05:00","calls":"\#(i % 9)","conn_id":"c\#(i)","result":"no-answer","campaign_id":"\#(101 + i % 6)"}"#
        }
        out += "]}"
        return Data(out.utf8)
    }
}
