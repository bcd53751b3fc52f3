/// Fault injection, chosen per endpoint and deterministic with the seed.
///
/// Grammar (comma-separated rules; whitespace ignored):
///
///     RULE   := TARGET ":" KIND [ "=" ARG ] [ "@" PROBABILITY ] [ "*" COUNT ]
///     TARGET := find_record | recall | remove_record | add_dnc | add_record | campaigns | token_info | "*"
///     KIND   := latency=MS      add MS milliseconds before answering (e.g. latency=300)
///             | stall           hold the request for 65 s (past the API's 60 s limit)
///             | maintenance     403 with an HTML maintenance page
///             | truncated       the real JSON answer cut in half
///             | empty           200 with an empty body
///             | reset           close the connection without an answer (the change applied)
///             | drop            close the connection without an answer, the change NOT
///                               applied (a proxy or balancer that lost the request)
///             | codetype        `code` sent with the other type (number ↔ string)
///             | limit           403 EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)
///             | quota           403 TOKEN LIMIT EXCEEDED
///             | redirect=URL    307 to URL (a hostile server or proxy; redirect301=URL for a 301)
///             | deep=LEVELS     200 whose `data` is LEVELS nested arrays `[[[…]]]`
///             | echo            500 whose body echoes the request headers (token included)
///             | huge=MB         200 with a valid answer padded to MB megabytes
///             | hollow          2xx `{}`: no code, no msg, no data
///             | strays          the real answer with three elements that are not
///                               records (`null`, `7`, `[1]`) first in its `data`
///             | gzipbomb=MB     200 `Content-Encoding: gzip`: a small body (~1/160) that
///                               inflates to the valid answer padded to MB megabytes
///             | trickle=KBPS    the answer sent at KBPS kilobytes a second (pair it with
///                               huge=MB for a long download); see `transfers()`
///     PROBABILITY  0…1, default 1 — drawn from the seeded generator, so runs repeat
///     COUNT        fire at most COUNT times, then stop (e.g. `recall:limit*1`)
///
/// Example: `find_record:latency=250,recall:maintenance@0.5,*:limit*1`.
public struct FaultPlan: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case latency(milliseconds: Int)
        case stall, maintenance, truncated, empty, reset, drop, codeType, limit, quota
        case redirect(status: Int, location: String)
        case deep(levels: Int)
        case echo, hollow, strays
        case huge(megabytes: Int)
        case gzipBomb(megabytes: Int)
        case trickle(kilobytesPerSecond: Int)
    }

    public struct Rule: Sendable, Equatable {
        public var target: String
        public var kind: Kind
        public var probability: Double
        public var remaining: Int?
    }

    public var rules: [Rule]

    public init(rules: [Rule] = []) { self.rules = rules }

    public static let none = FaultPlan()

    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    static let targets: Set<String> = ["*", "find_record", "recall", "remove_record", "add_dnc", "add_record", "campaigns", "token_info"]

    public init(spec: String) throws {
        var rules: [Rule] = []
        for raw in spec.split(separator: ",") {
            let text = raw.filter { !$0.isWhitespace }
            guard !text.isEmpty else { continue }
            guard let colon = text.firstIndex(of: ":") else { throw ParseError(description: "fault \"\(text)\": expected TARGET:KIND") }
            let target = String(text[..<colon])
            guard Self.targets.contains(target) else { throw ParseError(description: "fault \"\(text)\": unknown endpoint \"\(target)\"") }
            var rest = String(text[text.index(after: colon)...])
            var count: Int?
            if let star = rest.lastIndex(of: "*") {
                guard let n = Int(rest[rest.index(after: star)...]), n > 0 else { throw ParseError(description: "fault \"\(text)\": bad *COUNT") }
                count = n
                rest = String(rest[..<star])
            }
            var probability = 1.0
            if let at = rest.lastIndex(of: "@") {
                guard let p = Double(rest[rest.index(after: at)...]), (0...1).contains(p) else {
                    throw ParseError(description: "fault \"\(text)\": bad @PROBABILITY")
                }
                probability = p
                rest = String(rest[..<at])
            }
            let parts = rest.split(separator: "=", maxSplits: 1).map(String.init)
            let kind: Kind
            switch parts.first ?? "" {
            case "latency":
                guard parts.count == 2, let ms = Int(parts[1].replacingOccurrences(of: "ms", with: "")), ms >= 0 else {
                    throw ParseError(description: "fault \"\(text)\": latency needs =MILLISECONDS")
                }
                kind = .latency(milliseconds: ms)
            case "stall": kind = .stall
            case "maintenance": kind = .maintenance
            case "truncated": kind = .truncated
            case "empty": kind = .empty
            case "reset": kind = .reset
            case "drop": kind = .drop
            case "codetype": kind = .codeType
            case "limit": kind = .limit
            case "quota": kind = .quota
            case "redirect", "redirect301":
                guard parts.count == 2, !parts[1].isEmpty else { throw ParseError(description: "fault \"\(text)\": redirect needs =URL") }
                kind = .redirect(status: parts[0] == "redirect301" ? 301 : 307, location: parts[1])
            case "deep":
                guard parts.count == 2, let n = Int(parts[1]), n > 0 else { throw ParseError(description: "fault \"\(text)\": deep needs =LEVELS") }
                kind = .deep(levels: n)
            case "echo": kind = .echo
            case "hollow": kind = .hollow
            case "strays": kind = .strays
            case "huge":
                guard parts.count == 2, let n = Int(parts[1]), n > 0 else { throw ParseError(description: "fault \"\(text)\": huge needs =MB") }
                kind = .huge(megabytes: n)
            case "gzipbomb":
                guard parts.count == 2, let n = Int(parts[1]), n > 0 else { throw ParseError(description: "fault \"\(text)\": gzipbomb needs =MB") }
                kind = .gzipBomb(megabytes: n)
            case "trickle":
                guard parts.count == 2, let n = Int(parts[1]), n > 0 else { throw ParseError(description: "fault \"\(text)\": trickle needs =KBPS") }
                kind = .trickle(kilobytesPerSecond: n)
            default: throw ParseError(description: "fault \"\(text)\": unknown kind \"\(parts.first ?? "")\"")
            }
            rules.append(Rule(target: target, kind: kind, probability: probability, remaining: count))
        }
        self.rules = rules
    }

    /// Faults that fire for one request to `api`, consuming counts; `rng` makes it repeatable.
    mutating func draw(for api: String, rng: inout SeededRandom) -> [Kind] {
        var fired: [Kind] = []
        for i in rules.indices where rules[i].target == "*" || rules[i].target == api {
            if let r = rules[i].remaining, r <= 0 { continue }
            guard rules[i].probability >= 1 || rng.chance(rules[i].probability) else { continue }
            if let r = rules[i].remaining { rules[i].remaining = r - 1 }
            fired.append(rules[i].kind)
        }
        return fired
    }

    public var description: String {
        rules.map { rule in
            let kind: String
            switch rule.kind {
            case .latency(let ms): kind = "latency=\(ms)"
            case .stall: kind = "stall"
            case .maintenance: kind = "maintenance"
            case .truncated: kind = "truncated"
            case .empty: kind = "empty"
            case .reset: kind = "reset"
            case .drop: kind = "drop"
            case .codeType: kind = "codetype"
            case .limit: kind = "limit"
            case .quota: kind = "quota"
            case .redirect(let status, let location): kind = (status == 301 ? "redirect301=" : "redirect=") + location
            case .deep(let n): kind = "deep=\(n)"
            case .echo: kind = "echo"
            case .hollow: kind = "hollow"
            case .strays: kind = "strays"
            case .huge(let mb): kind = "huge=\(mb)"
            case .gzipBomb(let mb): kind = "gzipbomb=\(mb)"
            case .trickle(let kbps): kind = "trickle=\(kbps)"
            }
            return "\(rule.target):\(kind)" + (rule.probability < 1 ? "@\(rule.probability)" : "") + (rule.remaining.map { "*\($0)" } ?? "")
        }.joined(separator: ",")
    }
}
