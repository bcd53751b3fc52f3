import Foundation
import Testing
@testable import Messages

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

    @Test(arguments: [
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

    @Test func datesFollowTheLanguage() {
        let utc = TimeZone(identifier: "UTC")!
        let d = Date(timeIntervalSince1970: 1_795_529_100) // 2026-11-24 14:05 UTC
        #expect(DateText.dateTime(d, .en, timeZone: utc) == "2026-11-24 14:05")
        #expect(DateText.dateTime(d, .es, timeZone: utc) == "24/11/2026 14:05")
        #expect(DateText.dateTime(d, .pt, timeZone: utc) == "24/11/2026 14:05")
    }
}
