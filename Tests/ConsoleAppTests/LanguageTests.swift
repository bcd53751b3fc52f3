import Foundation
import Messages
import Testing
import TUIKit
import WolkvoxAPI
@testable import ConsoleApp

/// The console in Spanish and Portuguese: dates typed and shown day-first,
/// errors in the operator's language with the server's words kept, `:lang`.
@Suite struct LanguageTests {
    @Test func recallInSpanishIsTypedDayFirstAndSentInTheAPIFormat() throws {
        var s = World.withResults(language: .es)
        _ = World.keys(&s, .char("r"))
        let d = try World.recall(s)
        #expect(d.date.value == "24/11/2026 15:05")
        _ = World.keys(&s, .ctrl("u"))
        World.type(&s, "2026-11-25 09:30")  // ISO is still understood
        var iso = try World.recall(s)
        #expect(iso.order(now: World.now, timeZone: World.utc) != nil)
        _ = World.keys(&s, .ctrl("u"))
        World.type(&s, "25/11/2026 09:30")
        var typed = try World.recall(s)
        let maybeOrder = typed.order(now: World.now, timeZone: World.utc)
        let order = try #require(maybeOrder)
        #expect(try Validate.recallDate(order.when, now: World.now, timeZone: World.utc) == "20261125093000")
        _ = World.keys(&s, .ctrl("u"))
        World.type(&s, "31/02/2026 09:30")
        var bad = try World.recall(s)
        #expect(bad.order(now: World.now, timeZone: World.utc) == nil)
        #expect(bad.error == "\"31/02/2026 09:30\" no es una fecha y hora reales.")
        try assertSnapshot(s, "recall-es")
    }

    @Test func englishRefusesSlashedDatesBecauseTheyAreAmbiguous() throws {
        var d = RecallDialog(record: World.records[0], campaignType: .predictive, now: World.now, timeZone: World.utc)
        d.date.set("03/04/2027 10:00")
        #expect(d.order(now: World.now, timeZone: World.utc) == nil)
        #expect(d.error?.hasPrefix("Write the time as YYYY-MM-DD HH:MM") == true)
    }

    @Test func pastRecallIsExplainedWithTheLocalDateOrder() throws {
        var d = RecallDialog(record: World.records[0], campaignType: .predictive, now: World.now, timeZone: World.utc, language: .pt)
        d.date.set("24/11/2026 13:00")
        #expect(d.order(now: World.now, timeZone: World.utc) == nil)
        #expect(d.error?.contains("24/11/2026 13:00") == true)
        #expect(d.error?.contains("não está no futuro") == true)
    }

    @Test func langCommandSwitchesEveryLabelAtOnce() throws {
        var s = World.withResults(Size(width: 80, height: 24))
        _ = World.keys(&s, .char(":"))
        World.type(&s, "lang pt")
        #expect(World.keys(&s, .enter) == [.redraw])
        #expect(s.catalog.language == .pt)
        var b = Buffer(size: s.size)
        render(s, into: &b)
        #expect(b.text.contains("Resultados") && b.text.contains("chamadas hoje"))
        _ = World.keys(&s, .char(":"))
        World.type(&s, "lang xx")
        _ = World.keys(&s, .enter)
        #expect(s.catalog.language == .pt, "an unknown language changes nothing")
        #expect(s.toasts.last?.text == "Uso: :lang en|es|pt")
    }

    /// A refused search says why in the operator's language (it said it in
    /// English), and an error box open when the language changes follows it.
    @Test func errorBoxesSpeakTheCurrentLanguage() throws {
        var s = World.state(language: .es)
        World.type(&s, "12")
        if s.searchKind != .phone { _ = World.keys(&s, .ctrl("t")) }
        #expect(World.keys(&s, .enter).isEmpty)
        #expect(s.error?.sentence(in: s.catalog).contains("es demasiado corto") == true, "\(String(describing: s.error))")
        var b = Buffer(size: s.size)
        render(s, into: &b)
        #expect(b.text.contains("es demasiado corto"))
        s.catalog = Catalog.shared(.pt)
        b = Buffer(size: s.size)
        render(s, into: &b)
        #expect(b.text.contains("é curto demais"), "the open box follows :lang")
    }

    @Test func apiErrorsAreTranslatedAndKeepTheServersWords() throws {
        var s = World.withResults(language: .es)
        let detail = ErrorDetail(status: 403, code: 403, serverMessage: "API daily limit exceeded")
        showError(&s, .dailyQuotaExceeded(detail))
        #expect(s.error?.sentence(in: s.catalog) == "Se agotó la cuota diaria de la API; no se pueden hacer más llamadas hasta mañana.")
        #expect(s.error?.detail.contains("API daily limit exceeded") == true)
        let c = Catalog.shared(.pt)
        #expect(c.explain(.timeout(seconds: 60)) == "O servidor não respondeu em 60 segundos.")
        #expect(c.explain(.server(ErrorDetail(status: 502))) == "O servidor respondeu com um erro (HTTP 502).")
        #expect(c.explainWrite(.network("reset")).hasSuffix("Pode ter sido aplicado: verifique-o (releitura) antes de enviá-lo de novo."))
        #expect(c.explainWrite(.notSent(.network("connection refused"))).hasSuffix("Nada foi enviado."), "never left: not sent, no advice to check")
    }

    /// Help at 80 columns leaves 45 for a description: none is cut, in any language.
    @Test(arguments: Language.allCases) func everyHelpLineFitsAt80Columns(language: Language) {
        var s = World.state(Size(width: 80, height: 24), language: language)
        s.help = HelpOverlay()
        for row in helpRows(s) { #expect(DisplayWidth.of(row.text) <= 45, "\(language): \(row.keys) \(row.text)") }
    }

    /// The recall presets fit the 44 columns the dialog gives them under a long date label.
    @Test(arguments: Language.allCases) func theRecallPresetsFitUnderALongLabel(language: Language) {
        #expect(DisplayWidth.of(Catalog.shared(language)["recall.presets"]) <= 44)
    }

    @Test func everyCatalogueKeyUsedByTheConsoleExists() throws {
        // Keys are built in code ("help.\(command)", "scope.\(scope)"); a renamed
        // command must not silently fall back to its raw key on screen.
        for language in Language.allCases {
            let c = Catalog.shared(language)
            // Help text comes only from the catalogue: every command and every `:` command has one.
            for command in Command.allCases { #expect(c.has("help.\(command.rawValue)"), "help.\(command.rawValue) in \(language)") }
            for line in LineCommand.all { #expect(c.has(line.help), "\(line.help) in \(language)") }
            for scope in Keymap.Scope.allCases { #expect(c.has("scope.\(scope.rawValue)"), "scope.\(scope.rawValue) in \(language)") }
            for kind in [
                "unknown_api", "missing_parameters", "missing_token", "invalid_token", "daily_quota", "simultaneous_limit",
                "maintenance", "malformed_response", "read_only", "journal_unavailable", "cancelled",
            ] {
                #expect(c.has("error.\(kind)"), "error.\(kind) in \(language)")
            }
        }
    }

    @Test(arguments: [Language.es, .pt]) func translatedDialogsAndHelp(language: Language) throws {
        var s = World.withResults(Size(width: 80, height: 24), language: language)
        _ = World.keys(&s, .char("b"))
        try assertSnapshot(s, "dnc-\(language.rawValue)")
        _ = World.keys(&s, .escape, .char("?"))
        try assertSnapshot(s, "help-\(language.rawValue)")
    }

    /// The rule for translated screens: at 80×24 no label is cut in
    /// the middle of a word (a letter right before "…").
    @Test(arguments: [Language.en, .es, .pt]) func nothingIsCutMidWordAt80x24(language: Language) {
        var s = World.withResults(Size(width: 80, height: 24), language: language)
        for keys in [[Key](), [.char("d")], [.escape, .char("b")], [.escape, .char("r")], [.escape, .char("?")]] {
            for k in keys { _ = World.keys(&s, k) }
            var b = Buffer(size: s.size)
            render(s, into: &b)
            for line in b.text.split(separator: "\n") {
                let chars = Array(line)
                for (i, ch) in chars.enumerated() where ch == "…" && i > 0 {
                    #expect(!chars[i - 1].isLetter, "cut mid-word in \(language): \(line)")
                }
            }
        }
    }
}
