import Foundation
import Testing
@testable import TUIKit

/// The primitives every screen stands on: if a width is wrong, every column
/// after it is misaligned; if `put` leaves half a glyph, the terminal smears.
@Suite struct DisplayWidthTests {
    @Test(arguments: [
        ("ñ", 1), ("ç", 1), ("ã", 1), ("e\u{301}", 1), ("山", 2), ("한", 2), ("👍🏽", 2), ("🇨🇴", 2),
        ("❤️", 2), ("a", 1), ("\u{1B}", 0), ("\u{200B}", 0),
    ])
    func graphemeWidths(text: String, width: Int) {
        #expect(DisplayWidth.of(Character(text)) == width, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
    }

    @Test func stringWidthSumsClusters() {
        #expect(DisplayWidth.of("Peñaloza Ñúñez") == 14)
        #expect(DisplayWidth.of("山田 太郎") == 9)
        #expect(DisplayWidth.of("Jose\u{301}") == 4, "a combining accent adds no column")
    }

    /// The string fast path (ASCII and Latin letters) must agree with the
    /// per-grapheme path everywhere, including at its edges.
    @Test func theStringFastPathAgreesWithGraphemeByGrapheme() {
        let samples = [
            "", "plain", "María José Peñaloza Ñúñez", "Conceição Gonçalves", "São João", "Løvaas Zoë Renée",
            "ǅemal ȘȚ ɐɯ ʃ", "\u{A0}nbsp", "soft\u{AD}hyphen", "e\u{301}", "Jose\u{301} ñ", "tab\there", "DEL\u{7F}",
            "C1\u{85}", "山田 太郎", "Ana 🌻", "ˆ˜ˇ", "\u{2FF}\u{300}", "a\u{1B}[31m",
        ]
        for s in samples {
            #expect(DisplayWidth.of(s) == s.reduce(0) { $0 + DisplayWidth.of($1) }, "\(s.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func truncateNeverExceedsTheWidthAndMarksTheCut() {
        for text in ["María José Peñaloza Ñúñez", "山田太郎山田太郎", "Ana 🌻 Gonçalves", "plain ascii text here"] {
            for columns in 0...12 {
                let t = DisplayWidth.truncate(text, to: columns)
                #expect(DisplayWidth.of(t) <= columns, "\(text) to \(columns): \(t)")
                if DisplayWidth.of(text) > columns && columns > 0 { #expect(t.hasSuffix("…"), "\(text) to \(columns): \(t)") }
            }
        }
        #expect(DisplayWidth.truncate("María José", to: 6) == "María…")
        #expect(DisplayWidth.truncate("山田太郎", to: 4) == "山…", "a wide character that does not fit is left out whole")
        #expect(DisplayWidth.truncate("short", to: 10) == "short")
    }
}

@Suite struct BufferTests {
    @Test func aWideCharacterNeverStraddlesTheLimit() {
        var b = Buffer(size: Size(width: 6, height: 1))
        let used = b.put("ab山田", x: 0, y: 0, maxWidth: 5)
        #expect(used == 5)
        #expect(b.line(0) == "ab山  ", "田 would need columns 4–5 but only 4 is allowed: a space, not half a glyph")
        #expect(b[2, 0].width == 2 && b[3, 0].width == 0)
    }

    @Test func overwritingEitherHalfOfAWideCharacterBlanksTheOther() {
        var b = Buffer(size: Size(width: 4, height: 2))
        b.put("山田", x: 0, y: 0)
        b.put("x", x: 1, y: 0)  // right half of 山
        #expect(b.line(0) == " x田")
        b.put("山田", x: 0, y: 1)
        b.put("y", x: 2, y: 1)  // left half of 田
        #expect(b.line(1) == "山y ")
        // No orphan continuation cell is left anywhere.
        for y in 0..<2 { for x in 0..<4 where b[x, y].width == 0 { #expect(x > 0 && b[x - 1, y].width == 2) } }
    }

    @Test func controlCharactersAreShownNotSentAndEdgesClip() {
        var b = Buffer(size: Size(width: 8, height: 1))
        b.put("a\u{1B}[2Jb", x: 0, y: 0)
        #expect(b.line(0) == "a?[2Jb  ", "ESC becomes a visible ? and can never reach the terminal")
        var c = Buffer(size: Size(width: 5, height: 1))
        let used = c.put("hello world", x: 2, y: 0)
        #expect(used == 3)
        #expect(c.line(0) == "  hel")
        c.put("xyz", x: -2, y: 0)
        #expect(c.line(0) == "z hel", "text starting off-screen shows only its visible part")
        let outside = c.put("x", x: 0, y: 5)
        #expect(outside == 0, "a row outside the buffer writes nothing")
    }

    @Test func textTrimsTrailingSpacesPerRow() {
        var b = Buffer(size: Size(width: 6, height: 2))
        b.put("ab", x: 0, y: 0)
        b.put("c", x: 3, y: 1)
        #expect(b.text == "ab\n   c")
    }

    @Test func framesCloseAndTitlesFit() {
        var b = Buffer(size: Size(width: 12, height: 4))
        let inner = b.frame(Rect(x: 0, y: 0, width: 12, height: 4), title: "Campañas larguísimas", style: .plain)
        #expect(inner == Rect(x: 1, y: 1, width: 10, height: 2))
        let lines = b.text.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("┌") && lines[0].hasSuffix("┐") && DisplayWidth.of(lines[0]) == 12, "\(lines[0])")
        #expect(lines[3] == "└" + String(repeating: "─", count: 10) + "┘")
    }
}

@Suite struct TextFieldTests {
    @Test func editingKeysWorkOnCharactersNotBytes() {
        var f = TextField("José Peñaloza")
        f.handle(.ctrl("w"))
        #expect(f.value == "José " && f.cursor == 5)
        f.handle(.home)
        f.handle(.right)
        f.handle(.char("ñ"))
        #expect(f.value == "Jñosé ")
        f.handle(.end)
        f.handle(.backspace)
        f.handle(.backspace)
        #expect(f.value == "Jños")
        f.handle(.left)
        f.handle(.ctrl("k"))
        #expect(f.value == "Jño" && f.cursor == 3)
        f.handle(.ctrl("u"))
        #expect(f.value == "" && f.cursor == 0)
    }

    @Test func controlCharactersAndOverflowAreRefused() {
        var f = TextField("", maxLength: 4)
        for c in ["\u{1B}", "\u{7F}", "\n", "\u{07}"] { f.handle(.char(Character(c))) }
        #expect(f.value.isEmpty, "pasted escapes never enter a field")
        for c in "123456" { f.handle(.char(c)) }
        #expect(f.value == "1234")
        let handled = f.handle(.up)
        #expect(!handled, "keys it does not own are passed on")
    }

    @Test func renderScrollsToKeepTheCursorVisibleWithWideText() {
        var f = TextField("山田太郎 María 3001234567")
        var b = Buffer(size: Size(width: 10, height: 1))
        f.render(into: &b, x: 0, y: 0, width: 10, style: .plain, focused: true)
        #expect(b.line(0).hasSuffix("4567 "), "the end of the text, where the cursor is: \(b.line(0))")
        #expect(b[9, 0].style.attributes.contains(.reverse), "the cursor cell is drawn")
        f.handle(.home)
        b = Buffer(size: Size(width: 10, height: 1))
        f.render(into: &b, x: 0, y: 0, width: 10, style: .plain, focused: true)
        #expect(b.line(0) == "山田太郎 M", "\(b.line(0))")
        #expect(b[0, 0].style.attributes.contains(.reverse))
    }
}

@Suite struct ThemeTests {
    static let themesDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("themes")

    /// The files users copy and edit must say what the built-in themes do.
    @Test(arguments: ["dark", "light", "high-contrast"]) func bundledFilesMatchTheBuiltins(name: String) throws {
        let text = try String(contentsOf: Self.themesDir.appendingPathComponent(name + ".toml"), encoding: .utf8)
        let parsed = try Theme.parse(text, name: name)
        let builtin = try #require(Theme.builtins[name])
        for slot in Theme.Slot.allCases {
            #expect(parsed[slot] == builtin[slot], "\(name).\(slot.rawValue)")
        }
    }

    @Test func colourSpellingsAndTyposThatNameTheKey() {
        #expect(Theme.parseColor("bright-red") == .indexed(9))
        #expect(Theme.parseColor("244") == .indexed(244))
        #expect(Theme.parseColor("#5fafd7") == .rgb(0x5F, 0xAF, 0xD7))
        #expect(Theme.parseColor("256") == nil && Theme.parseColor("#12345") == nil && Theme.parseColor("reddish") == nil)
        #expect(throws: Theme.LoadError.self) { try Theme.parse("[colors]\nselectoin = \"red\"", name: "x") }
        do { _ = try Theme.parse("[colors]\nselectoin = \"red\"", name: "x") } catch {
            #expect("\(error)".contains("selectoin"), "the typo is named")
        }
        #expect(throws: Theme.LoadError.self) { try Theme.parse("[attributes]\nheader = \"blinking\"", name: "x") }
    }
}

@Suite struct ThemeBackgroundTests {
    @Test func aLightThemePaintsItsOwnPageUnderEverySlot() {
        let light = Theme.light
        for slot in Theme.Slot.allCases {
            #expect(light[slot].background != .default, "light \(slot) would show the terminal's (maybe dark) background")
        }
        #expect(light[.text].background == .indexed(231) && light[.selection].background == .indexed(25), "own backgrounds stay")
        #expect(Theme.dark[.text].background == .default, "the dark theme keeps the terminal's background")
    }
}

/// Inputs `scripts/fuzz.sh` found crashing, kept as regression tests.
@Suite struct ThemeFuzzRegressionTests {
    /// A fuzzer's input, kept as hex (it holds invalid UTF-8), as the text the loader would make of it.
    static func text(hex: String) -> String {
        var bytes: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            bytes.append(UInt8(hex[i..<j], radix: 16)!)
            i = j
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A theme file with a `[` + backtick header: toml++ asserted
    /// (abort). Now the theme is refused with one line.
    @Test func aHeaderWithoutANameIsRefusedNotACrash() throws {
        let hex = "23207776636f6e73676572203d2022323033220a62616467655f64656d6f203d20223136206f6e20323134220a62616d67655f726561646f6e6c79203d20223136206f6e20313134220a0a5b607472627469757465735d0a626f726465725f666f6375736564203d2022626f6c64220a686561646572203d2022626f6c64220a6d61726b6564203d2022626f6c64220a6423207776636f6e736f6c65207468656d652022686967682d636f6e74726173742220e2809420636f6e7472617374220a0a5b636f6c6f72616e676572203d2022626f6c64220a62616467655f64656d6f203d2022626f6c64220a62616467655f726561646f6e6c79203d2022626ff5f5735d0a220a7761726e696e67203d2022626f6c64220a64616e676572203d2022626f6c642041756e6465726c696e65220a62616467655f64656d6f203d2022626f6c642a0a62616467655f726561646f6e6c79203d2022f5f5f5f5f5f5f5f5f5f5f5f5f5f5626f6564f5f5f5f5f5f5f5f5d5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5203df5f5f5f5daf5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f56c64220a"
        #expect(throws: Theme.LoadError.self) { try Theme.parse(Self.text(hex: hex), name: "fuzz") }
        #expect(throws: Theme.LoadError.self) { try Theme.parse("[`x]\nname = \"a\"\n", name: "fuzz") }
        // An array with a `}` where an element should be (toml++ asserted in parse_value).
        let array = "2366722074686520666f726d61742e0a6e616d65203d2022686967682d636f6e7472617374220a0a5b636f6c6f72735d0a74786574203d20226272696768742d7768697465220a6d75746564203d205b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b2020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020205b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b090909090909090909090909090909095b5b5b0a0a09090909090909090909090909090909090909090909090909090a097d0009090909095d094574686520666f726d61742e0a6e616d65203d2022686967682d636f6e7472617374220a0a5b636f6c6f72056f72"
        #expect(throws: Theme.LoadError.self) { try Theme.parse(Self.text(hex: array), name: "fuzz") }
    }
}
