import Foundation
import LocalStore
import Messages
import TUIKit
import Testing
@testable import ConsoleApp
import WolkvoxAPI

/// The status line's meter: token_info's figure plus the calls since, the
/// quota from `token_limit`, `:quota`, and the slot-wait indicator.
@Suite struct MeterTests {
    static func figure(all: Int, limit: Int, localAtRead: Int) -> QuotaFigure {
        QuotaFigure(readAt: World.now.addingTimeInterval(-60), allTokenToday: all, tokenLimit: limit, tokenUseToday: nil, localAtRead: localAtRead)
    }

    static func header(_ s: AppState) -> String {
        var b = Buffer(size: s.size)
        render(s, into: &b)
        return String(b.text.split(separator: "\n").first ?? "")
    }

    @Test func theFigurePlusCallsSinceIsTheMeterAndTokenLimitTheQuota() {
        var s = World.state()
        _ = update(&s, .meter(MeterReading(localCalls: 40, figure: Self.figure(all: 2990, limit: 3000, localAtRead: 30))))
        #expect(s.callsToday == 3000 && s.quota == 3000)
        #expect(Self.header(s).contains("calls today 3,000/3,000"))
        // 100 % of the operation's figure asks before a search.
        World.type(&s, "3001234567")
        #expect(World.keys(&s, .enter).isEmpty)
        #expect(s.error?.sentence(in: s.catalog).contains("quota is used up") == true)
        // Without a figure, the local count against licenses × 1000.
        _ = update(&s, .meter(MeterReading(localCalls: 41)))
        #expect(s.callsToday == 41 && s.quota == 5000)
    }

    @Test func quotaCommandAsksTheRunner() {
        var s = World.state()
        _ = World.keys(&s, .char(":"))
        #expect(World.type(&s, "quota") + World.keys(&s, .enter) == [.checkQuota])
    }

    @Test(arguments: [Language.en, .es, .pt])
    func quotaOnDemandSaysWhatItReadOrWhenItLastDid(language: Language) {
        var s = World.state(language: language)
        let reading = MeterReading(
            localCalls: 12, figure: Self.figure(all: 1500, limit: 5000, localAtRead: 10),
            askedAt: World.now.addingTimeInterval(-60))
        _ = update(&s, .quotaChecked(.read(reading), onDemand: true))
        #expect(
            s.toasts.last?.text.contains("1502") == true || s.toasts.last?.text.contains("1,502") == true
                || s.toasts.last?.text.contains("1.502") == true, "\(s.toasts)")
        #expect(s.toasts.last?.text.contains("14:04:00") == true)
        _ = update(&s, .quotaChecked(.cached(reading), onDemand: true))
        #expect(s.toasts.count == 2)
        #expect(s.toasts.last?.text.contains("14:09:00") == true, "the next ask is 5 minutes after the last: \(s.toasts)")
    }

    @Test func atStartAFigureIsSilentAndAFailureIsOneToast() {
        var s = World.state()
        let reading = MeterReading(localCalls: 3, figure: Self.figure(all: 700, limit: 5000, localAtRead: 2))
        _ = update(&s, .quotaChecked(.read(reading), onDemand: false))
        _ = update(&s, .quotaChecked(.cached(reading), onDemand: false))
        #expect(s.toasts.isEmpty && s.callsToday == 701)
        _ = update(&s, .quotaChecked(.failed(.maintenance(ErrorDetail(status: 403)), MeterReading(localCalls: 3)), onDemand: false))
        #expect(s.toasts.count == 1 && s.toasts[0].level == .warning)
        #expect(s.callsToday == 3, "the local count stands")
        #expect(s.error == nil, "a token_info failure never blocks work")
    }

    @Test func waitingForAnotherProcessShowsInTheIndicator() {
        var s = World.state(Size(width: 120, height: 40))
        _ = update(&s, .waitingForSlot(true))
        #expect(Self.header(s).contains("waiting for another wvconsole"))
        _ = update(&s, .waitingForSlot(false))
        #expect(!Self.header(s).contains("waiting for another wvconsole"))
    }
}
