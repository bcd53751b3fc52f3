import Foundation
import Testing
@testable import ConsoleApp
import TUIKit
import WolkvoxAPI

/// At 80×24, the most common terminal, every selection is visible before it
/// is acted on.
@Suite struct CompactLayoutTests {
    @Test func thePickerShowsTheEntryEnterWillChooseAndMovesWithArrows() {
        var s = World.state(Size(width: 80, height: 24))
        _ = World.keys(&s, .backTab)
        #expect(s.focus == .campaigns)
        _ = World.keys(&s, .char("j"))
        var line = screenText(s).split(separator: "\n")[1]
        #expect(line.contains("◂ 101 Cobranza Norte ▸") && line.contains("2/4"), "\(line)")
        _ = World.keys(&s, .right)
        line = screenText(s).split(separator: "\n")[1]
        #expect(line.contains("◂ 202 Ventas Renovación ▸") && line.contains("3/4"), "\(line)")
        _ = World.keys(&s, .left)
        _ = World.keys(&s, .enter)
        #expect(s.selectedCampaign?.id == "101", "Enter chooses the entry that was shown")
        #expect(screenText(s).split(separator: "\n")[1].contains("◂ 101 Cobranza Norte ▸"))
    }

    @Test func allCampaignsResultsKeepTheCampaignColumnAndSortArrowsAreNeverCut() {
        var s = World.withResults(Size(width: 80, height: 24))
        #expect(s.selectedCampaign == nil)
        let header = screenText(s).split(separator: "\n").first { $0.contains("Customer ID") } ?? ""
        #expect(header.contains("Campaign"), "\(header)")
        #expect(s.focus == .results)
        _ = World.keys(&s, .char("o"))
        let sorted = screenText(s)
        #expect(sorted.contains("▲") || sorted.contains("▼"), "\(sorted)")
        #expect(!sorted.split(separator: "\n").contains { $0.contains("…") && $0.contains("Customer ID") })
    }
}
