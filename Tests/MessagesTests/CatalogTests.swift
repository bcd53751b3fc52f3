import Foundation
import Testing
@testable import Messages
import WolkvoxAPI

@Suite struct CatalogTests {
    @Test func everyKeyExistsInAllThreeTables() {
        let en = Catalog.load(.en), es = Catalog.load(.es), pt = Catalog.load(.pt)
        #expect(en.count > 40)
        #expect(Set(es.keys) == Set(en.keys), "es differs: \(Set(es.keys).symmetricDifference(en.keys).sorted())")
        #expect(Set(pt.keys) == Set(en.keys), "pt differs: \(Set(pt.keys).symmetricDifference(en.keys).sorted())")
    }

    @Test func placeholdersMatchAcrossLanguages() {
        let en = Catalog.load(.en)
        for lang in [Language.es, .pt] {
            let other = Catalog.load(lang)
            for (key, text) in en {
                #expect(Catalog.placeholders(in: other[key] ?? "") == Catalog.placeholders(in: text), "\(lang) \(key)")
            }
        }
    }

    @Test func noMessageIsEmptyOrLeftUntranslatedWhereItMatters() {
        let en = Catalog.load(.en), es = Catalog.load(.es)
        for (key, text) in es { #expect(!text.isEmpty, "\(key)") }
        #expect(es["delete.warning"] != en["delete.warning"])
    }

    @Test func placeholdersAreFilled() {
        #expect(Catalog(.es).text("delete.type_count", ["count": "3"]) == "Escriba 3 para eliminar 3 registros:")
        #expect(Catalog(.en).text("no.such.key") == "no.such.key")
    }

    @Test(
        arguments: [
            (nil, ["LANG": "es_CO.UTF-8"], Language.es),
            (nil, ["LANG": "pt_BR.UTF-8"], .pt),
            (nil, ["LC_ALL": "pt_PT", "LANG": "es_ES.UTF-8"], .pt),
            (nil, ["LC_MESSAGES": "es_MX", "LANG": "en_US.UTF-8"], .es),
            (nil, ["LANG": "C.UTF-8"], .en),
            (nil, ["LANG": "@@garbage..%%"], .en),
            (nil, ["LANG": ""], .en),
            (nil, [:], .en),
            ("pt", ["LANG": "es_CO.UTF-8"], .pt),
            ("klingon", ["LANG": "es_CO.UTF-8"], .es),
        ] as [(String?, [String: String], Language)])
    func languageComesFromConfigThenLocale(configured: String?, env: [String: String], expected: Language) {
        #expect(Language.detect(configured: configured, environment: env) == expected)
    }

    /// Spanish showed "1.78 s" beside "60.000 registros".
    @Test func decimalsFollowTheLanguage() {
        let en = Catalog(.en)
        let es = Catalog(.es)
        let pt = Catalog(.pt)
        #expect(en.decimal(1.784, digits: 2) == "1.78")
        #expect(es.decimal(1.784, digits: 2) == "1,78")
        #expect(pt.decimal(0.3, digits: 2) == "0,30")
        #expect(en.decimal(1234.5, digits: 1) == "1,234.5")
        #expect(es.decimal(1234.5, digits: 1) == "1.234,5")
        #expect(es.decimal(60, digits: 0) == "60")
        #expect(en.decimal(-2.5, digits: 1) == "-2.5")
        #expect(en.decimal(-0.001, digits: 2) == "0.00")
    }

    @Test func datesFollowTheLanguage() {
        let utc = TimeZone(identifier: "UTC")!
        let d = Date(timeIntervalSince1970: 1_795_529_100)  // 2026-11-24 14:05 UTC
        #expect(DateText.dateTime(d, .en, timeZone: utc) == "2026-11-24 14:05")
        #expect(DateText.dateTime(d, .es, timeZone: utc) == "24/11/2026 14:05")
        #expect(DateText.dateTime(d, .pt, timeZone: utc) == "24/11/2026 14:05")
    }
}

@Suite struct CatalogTextTests {
    @Test func substitutionIsOnePassSoValuesAreNeverReinterpreted() {
        let c = Catalog.shared(.en)
        // A typed or server-sent value that looks like a placeholder stays as typed.
        #expect(c.text("toast.copied", ["value": "{value}{x}"]) == "Copied {value}{x}.")
        #expect(c.text("results.count_of", ["shown": "{total}", "total": "9"]) == "{total} of 9")
    }

    @Test func recordDatesAreReorderedOnlyWhenTheyHaveTheExpectedShape() {
        #expect(DateText.record("2026-11-05 14:22:10", .es) == "05/11/2026 14:22")
        #expect(DateText.record("2026-11-05 14:22:10", .en) == "2026-11-05 14:22")
        #expect(DateText.record("2026-11-05T14:22:10Z", .pt) == "05/11/2026 14:22")
        for odd in ["", "yesterday", "2026-11-05", "2026/11/05 14:22", "२०२६-11-05 14:22"] {
            #expect(DateText.record(odd, .es) == odd)
        }
    }

    @Test func longDatesUseTheLanguagesDayAndMonthNames() {
        let utc = TimeZone(identifier: "UTC")!
        let d = Date(timeIntervalSince1970: 1_795_529_100)  // Tue 24 Nov 2026 14:05 UTC
        #expect(DateText.long(d, .en, timeZone: utc) == "Tue 24 Nov 2026 14:05")
        #expect(DateText.long(d, .es, timeZone: utc) == "mar 24 nov 2026 14:05")
        #expect(DateText.long(d, .pt, timeZone: utc) == "ter 24 nov 2026 14:05")
    }
}

@Suite struct ValidationTranslationTests {
    /// Every refusal an operator can provoke from a dialog has a Spanish and a
    /// Portuguese sentence (a missing one would show English mid-screen).
    @Test(arguments: [Language.es, .pt]) func everyDialogRefusalIsTranslated(language: Language) {
        let c = Catalog.shared(language)
        let now = Date(timeIntervalSince1970: 1_795_529_100)
        let attempts: [() throws -> Any] = [
            { try Validate.phone("30a") }, { try Validate.phone("12") }, { try Validate.phone("1234567890123456") },
            { try Validate.customerID("") }, { try Validate.customerID("a,b") }, { try Validate.customerID("a\u{7}") },
            { try Validate.customerID(String(repeating: "x", count: 129)) }, { try Validate.daysBlock("0") },
            { try Validate.serverName("evil.example.com/") }, { try Validate.localDateTime("tomorrow") },
            { try Validate.localDateTime("2026-02-30 10:00") }, { try Validate.recallDate(now.addingTimeInterval(-60), now: now) },
        ]
        for attempt in attempts {
            do {
                _ = try attempt()
                Issue.record("accepted")
            } catch let v as ValidationError {
                #expect(v.key != nil, "no catalogue key for: \(v.message)")
                #expect(c.explain(v) != v.message, "untranslated: \(v.message)")
                #expect(!c.explain(v).contains("{"), "unfilled placeholder: \(c.explain(v))")
            } catch { Issue.record("\(error)") }
        }
    }
}

/// English error text lives in two places: `APIError.explanation` (the CLI's
/// JSON `message`, logs) and the English catalogue (screens, CLI lines).
/// They must say the same thing, case by case.
@Suite struct OneEnglishErrorTextTests {
    static let d = ErrorDetail(status: 503, code: 503, serverMessage: "maintenance window")
    static let every: [APIError] = [
        .unknownAPI(d), .refused(d), .missingParameters(d), .missingToken(d), .invalidToken(d), .dailyQuotaExceeded(d),
        .simultaneousLimit(d), .maintenance(d), .server(d), .server(ErrorDetail(status: nil)), .malformedResponse(d), .unconfirmedAnswer(d),
        .redirected(status: 302, host: "evil.example"), .redirected(status: 302, host: ""), .answerTooLarge(limitBytes: 1 << 20),
        .timeout(seconds: 60), .network("connection refused"), .connectionLost("stream ended at an unexpected time"), .invalidInput(ValidationError(.phone, "Not a phone number: 12.")),
        .readOnly, .journalUnavailable("disk full"), .storeUnavailable("connection refused"), .cancelled,
    ]

    @Test func theEnglishCatalogueAndAPIErrorExplanationAgree() {
        let en = Catalog.shared(.en)
        for error in Self.every {
            #expect(en.explain(error) == error.explanation, "\(error.kind)")
        }
    }
}
