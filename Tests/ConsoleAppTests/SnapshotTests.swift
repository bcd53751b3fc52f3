import Foundation
import Messages
import TUIKit
import Testing
@testable import ConsoleApp
import WolkvoxAPI

/// Screens as text at the sizes UX.md names; wide characters included.
@Suite struct SnapshotTests {
    static let sizes = [Size(width: 80, height: 24), Size(width: 120, height: 40), Size(width: 40, height: 12)]

    @Test(arguments: sizes) func mainScreenWithResults(size: Size) throws {
        try assertSnapshot(World.withResults(size), "main")
    }

    @Test(arguments: sizes) func emptyStart(size: Size) throws {
        try assertSnapshot(World.state(size), "start")
    }

    @Test(arguments: sizes) func detail(size: Size) throws {
        var s = World.withResults(size)
        _ = World.keys(&s, .enter)
        try assertSnapshot(s, "detail")
    }

    /// Each action dialog as its key opens it (plus what is typed), at 80×24 and 40×12.
    static let dialogs: [(name: String, key: Character, typed: String)] = [("delete", "d", "CC10"), ("recall", "r", ""), ("dnc", "b", ", 12")]

    @Test(arguments: [Size(width: 80, height: 24), Size(width: 40, height: 12)], dialogs.indices)
    func dialog(size: Size, index: Int) throws {
        let (name, key, typed) = Self.dialogs[index]
        var s = World.withResults(size)
        _ = World.keys(&s, .char(key))
        World.type(&s, typed)
        try assertSnapshot(s, name)
    }

    @Test func tooSmallShowsANotice() throws {
        try assertSnapshot(World.state(Size(width: 30, height: 8)), "toosmall")
        try assertSnapshot(World.state(Size(width: 20, height: 6)), "toosmall")
    }

    @Test(arguments: [Language.es, .pt]) func translatedMainAndDelete(language: Language) throws {
        var s = World.withResults(Size(width: 80, height: 24), language: language)
        try assertSnapshot(s, "main-\(language.rawValue)")
        _ = World.keys(&s, .char("d"))
        try assertSnapshot(s, "delete-\(language.rawValue)")
    }

    @Test func helpOverlay() throws {
        var s = World.withResults(Size(width: 80, height: 24))
        _ = World.keys(&s, .char("?"))
        try assertSnapshot(s, "help")
    }

    /// Team mode's screens: the header says the team store is down, and
    /// `:history` names who did each action (one team, three operators).
    @Test(arguments: [Size(width: 80, height: 24), Size(width: 120, height: 40)]) func teamStoreDownAndTeamHistory(size: Size) throws {
        var s = World.withResults(size)
        _ = update(&s, .storeProblem("connection refused (db.example:5432)"))
        try assertSnapshot(s, "store-down")
        #expect(screenText(s).contains("⚠"), "the header marks the store down")
        _ = update(&s, .tick(s.now.addingTimeInterval(10)))
        s.teamStore = true
        _ = update(
            &s,
            .historyLog(
                .success([
                    HistoryLine(
                        time: "2026-11-24 14:05:09Z", api: "add_dnc", campaign: "", items: 1, outcome: "succeeded 201", resolved: false,
                        message: "1 added", operatorName: "ana@pc-07"),
                    HistoryLine(
                        time: "2026-11-24 14:06:40Z", api: "recall", campaign: "101", items: 1, outcome: nil, resolved: false,
                        message: "", operatorName: "luis@pc-12"),
                    HistoryLine(
                        time: "2026-11-24 14:09:02Z", api: "add_record", campaign: "101", items: 10_000, outcome: "succeeded 201", resolved: false,
                        message: "10000 added", operatorName: "supervisora@srv"),
                ])))
        #expect(screenText(s).contains("every operator's actions"))
        try assertSnapshot(s, "team-history")
        for name in ["ana@pc-07", "luis@pc-12", "supervisora"] { #expect(screenText(s).contains(name), "\(name) on the history screen") }
    }

    @Test func hostileServerTextNeverReachesTheBuffer() {
        let s = World.withResults(Size(width: 120, height: 40))
        var b = Buffer(size: s.size)
        render(s, into: &b)
        for cell in b.cells {
            #expect(!cell.grapheme.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E || $0.value < 0x20 })
        }
    }

    @Test(arguments: [Size(width: 300, height: 100), Size(width: 41, height: 10), Size(width: 59, height: 15), Size(width: 99, height: 27)])
    func anySizeRendersWithoutMisalignment(size: Size) {
        var s = World.withResults(size)
        for keys in [[Key](), [.char("d")], [.escape, .char("r")], [.escape, .char("b")], [.escape, .char("a")], [.escape, .char("?")]] {
            for k in keys { _ = update(&s, .key(k)) }
            var b = Buffer(size: size)
            render(s, into: &b)
            for y in 0..<b.height { #expect(DisplayWidth.of(b.line(y)) == size.width) }
        }
    }
}
