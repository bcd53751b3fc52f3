import TUIKit
import Testing
import WolkvoxAPI

@testable import ConsoleApp

/// `/` matches what a supervisor types without accents: `perez` finds
/// Pérez, `pena` PEÑA, `sao` São (and an accented needle finds plain data).
@Suite struct FilterFoldingTests {
    static let names = ["Pérez", "PEÑA", "São Paulo", "Müller", "Łukasz", "Straße", "Pe\u{301}rez Decomposed", "Perez Plain", "Çelik", "Œuvre", "Ærø", "山田", "Nguyễn Văn", "Ștefan Țară"]
    static let model = ResultsModel(records: names.enumerated().map { CustomerRecord(customerName: $1, customerID: "ID\($0)") })

    @Test(arguments: [
        ("perez", ["Pérez", "Pe\u{301}rez Decomposed", "Perez Plain"]),
        ("PÉREZ", ["Pérez", "Pe\u{301}rez Decomposed", "Perez Plain"]),
        ("pena", ["PEÑA"]),
        ("peña", ["PEÑA"]),
        ("sao", ["São Paulo"]),
        ("muller", ["Müller"]),
        ("lukasz", ["Łukasz"]),
        ("strasse", ["Straße"]),
        ("celik", ["Çelik"]),
        ("oeuvre", ["Œuvre"]),
        ("aero", ["Ærø"]),
        ("山田", ["山田"]),
        ("decomposed pérez", ["Pe\u{301}rez Decomposed"]),
        ("nguyen van", ["Nguyễn Văn"]),
        ("stefan tara", ["Ștefan Țară"]),
    ])
    func accentsAndCaseAreFolded(filter: String, expected: [String]) {
        var m = Self.model
        m.setFilter(filter)
        #expect(m.visible.map { Self.names[$0] } == expected, "\(filter)")
    }

    /// Typing on still narrows correctly when the new letter is accented.
    @Test func typingAnAccentedLetterNarrowsLikeAFreshFilter() {
        var typed = Self.model
        for step in ["p", "pe", "peñ", "peña"] {
            typed.setFilter(step)
            var fresh = Self.model
            fresh.setFilter(step)
            #expect(typed.visible == fresh.visible, "\(step)")
        }
        #expect(typed.visible.map { Self.names[$0] } == ["PEÑA"])
    }

    /// The campaign pane's `/` folds the same way.
    @Test func theCampaignFilterIgnoresAccentsToo() {
        var s = World.state(Size(width: 120, height: 40))
        s.campaigns += [
            Campaign(id: "404", name: "Retención Móvil", type: "predictive", status: "Stopped", records: "1"),
            Campaign(id: "505", name: "Cobrança São Paulo", type: "preview", status: "Started", records: "1"),
        ]
        s.focus = .campaigns
        for (typed, expected) in [("sao", ["505"]), ("cobranca", ["505"]), ("renovacion", ["202"]), ("RETENCIÓN", ["404"]), ("cobr", ["101", "505"])] {
            s.campaignFilter = TextField(typed)
            #expect(s.visibleCampaigns.compactMap { $0?.id } == expected, "\(typed)")
        }
    }
}
