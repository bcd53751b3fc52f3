import Foundation
import Testing
@testable import LocalStore
@testable import WolkvoxAPI

/// token_info's figure in the store: asked at most every 5 minutes across
/// every process (two stores on one file stand for two processes), read back
/// as the figure plus the calls made since, and never blocking on failure.
@Suite struct QuotaFigureTests {
    final class Clock: @unchecked Sendable { var now = Date(timeIntervalSince1970: 1_795_550_000) }

    static func tokenInfo(all: Int, limit: Int = 5000) -> HTTPResponse {
        HTTPResponse(
            status: 200,
            body: Data(
                #"{"code":200,"msg":"token information","data":[{"description":"t","token_limit":"\#(limit)","token_use_today":"\#(all - 100)","all_token_today":"\#(all)","available_consumption_options":"x"}]}"#
                    .utf8))
    }

    @Test func oneAskPerFiveMinutesAcrossProcesses() async throws {
        let clock = Clock()
        let path = tempStorePath()
        let a = try ConsoleStore(path: path, clock: { clock.now })
        let b = try ConsoleStore(path: path, clock: { clock.now })
        #expect(try a.claimTokenInfoAsk(server: "0025", fingerprint: "fp", interval: 300) != nil)
        #expect(try b.claimTokenInfoAsk(server: "0025", fingerprint: "fp", interval: 300) == nil)
        #expect(try b.claimTokenInfoAsk(server: "0025", fingerprint: "other", interval: 300) != nil, "another token has its own clock")
        clock.now += 299
        #expect(try a.claimTokenInfoAsk(server: "0025", fingerprint: "fp", interval: 300) == nil)
        clock.now += 1
        #expect(try b.claimTokenInfoAsk(server: "0025", fingerprint: "fp", interval: 300) != nil)
    }

    @Test func manyClaimersAtOnceGetExactlyOneAsk() async throws {
        let path = tempStorePath()
        let stores = try (0..<4).map { _ in try ConsoleStore(path: path) }
        let wins = try await withThrowingTaskGroup(of: Int.self) { group in
            for s in stores { for _ in 0..<5 { group.addTask { try s.claimTokenInfoAsk(server: "0025", fingerprint: "fp", interval: 300) == nil ? 0 : 1 } } }
            return try await group.reduce(0, +)
        }
        #expect(wins == 1)
    }

    @Test func theMeterIsTheFigurePlusTheCallsSince() async throws {
        let clock = Clock()
        let store = try ConsoleStore(path: tempStorePath(), clock: { clock.now })
        let c = try client(store) { request in
            #expect(request.url.absoluteString.contains("api=token_info"))
            return Self.tokenInfo(all: 1234, limit: 3000)
        }
        for _ in 0..<5 { await store.countCall(server: "0025", tokenFingerprint: c.tokenFingerprint) }
        let refresher = QuotaRefresher(client: c, store: store)
        guard case .read(let r) = await refresher.refresh() else {
            Issue.record("expected a read")
            return
        }
        #expect(r.localCalls == 6, "the token_info call itself is counted")
        #expect(r.figure?.allTokenToday == 1234 && r.figure?.tokenLimit == 3000 && r.used == 1234)
        #expect(r.limit(or: 5000) == 3000)
        for _ in 0..<3 { await store.countCall(server: "0025", tokenFingerprint: c.tokenFingerprint) }
        let later = try store.meterReading(server: "0025", fingerprint: c.tokenFingerprint)
        #expect(later.used == 1237 && later.callsSinceFigure == 3)
        // Within 5 minutes: the stored figure, no call.
        clock.now += 120
        guard case .cached(let cached) = await refresher.refresh() else {
            Issue.record("expected cached")
            return
        }
        #expect(cached.used == 1237 && cached.localCalls == 9)
        #expect(cached.nextAskAt == cached.askedAt.map { $0 + 300 })
    }

    @Test func aFailedAskLeavesTheLocalCountAndDoesNotStartTheFiveMinutes() async throws {
        let answers = Answers([HTTPResponse(status: 403, body: Data(#"<html>maintenance</html>"#.utf8)), Self.tokenInfo(all: 50)])
        let store = try ConsoleStore(path: tempStorePath())
        let c = try client(store) { _ in await answers.next() }
        await store.countCall(server: "0025", tokenFingerprint: c.tokenFingerprint)
        let refresher = QuotaRefresher(client: c, store: store)
        guard case .failed(let error, let r) = await refresher.refresh() else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.kind == "maintenance")
        #expect(r.figure == nil && r.used == 2 && r.localCalls == 2)
        guard case .read(let again) = await refresher.refresh() else {
            Issue.record("the operator may ask again at once")
            return
        }
        #expect(again.used == 50)
        guard case .cached = await refresher.refresh() else {
            Issue.record("then 5 minutes")
            return
        }
        #expect(await answers.served == 2)
    }

    @Test func yesterdaysFigureIsNotToday() async throws {
        let clock = Clock()
        let store = try ConsoleStore(path: tempStorePath(), clock: { clock.now }, timeZone: TimeZone(identifier: "UTC")!)
        try store.saveTokenFigure(
            TokenInfo(description: "", tokenLimit: 5000, tokenUseToday: 10, allTokenToday: 4000, availableConsumption: ""),
            server: "0025", fingerprint: "fp")
        #expect(try store.meterReading(server: "0025", fingerprint: "fp").used == 4000)
        clock.now += 86_400
        let r = try store.meterReading(server: "0025", fingerprint: "fp")
        #expect(r.figure == nil && r.used == 0)
    }
}

actor Answers {
    var queue: [HTTPResponse]
    var served = 0
    init(_ queue: [HTTPResponse]) { self.queue = queue }
    func next() -> HTTPResponse {
        served += 1
        return queue.isEmpty ? HTTPResponse(status: 500, body: Data()) : queue.removeFirst()
    }
}
