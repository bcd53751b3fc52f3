import Foundation
import Messages
import TUIKit
import Testing
@testable import ConsoleApp
import WolkvoxAPI

/// `:export`: the rows shown (filter and sort kept) go to a CSV file that is
/// never silently replaced.
@Suite struct ExportTests {
    static func dir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("wvexport-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    @Test func theRowsShownAreExportedInTheirOrder() throws {
        var s = World.withResults(Size(width: 120, height: 40))
        _ = World.keys(&s, .char("/"))
        World.type(&s, "101")
        _ = World.keys(&s, .enter, .char(":"))
        World.type(&s, "export /tmp/x.csv")
        let effects = World.keys(&s, .enter)
        guard case .export(let path, let records, let bom, let raw, let overwrite)? = effects.first, !raw else {
            Issue.record("no export effect: \(effects)")
            return
        }
        #expect(path == "/tmp/x.csv" && !bom && !overwrite)
        #expect(records == (0..<s.results.count).map(s.results.row), "the rows on screen, in their order")
        _ = World.keys(&s, .char(":"))
        World.type(&s, "export!")
        guard case .export(let named, _, _, _, true)? = World.keys(&s, .enter).first else {
            Issue.record(":export! replaces")
            return
        }
        #expect(named.hasPrefix("wvconsole-all-20261124-") && named.hasSuffix(".csv"), "a default name that says what and when: \(named)")
    }

    @Test func nothingShownIsAWarningAndNoFile() {
        var s = World.state(Size(width: 80, height: 24))
        _ = World.keys(&s, .char(":"))
        World.type(&s, "export")
        #expect(World.keys(&s, .enter).isEmpty)
        #expect(s.toasts.last?.text.contains("Nothing to export") == true)
    }

    @Test func aFileIsWrittenOwnerOnlyAndNotReplacedWithoutTheBang() throws {
        let dir = try Self.dir()
        let path = dir.appendingPathComponent("out.csv").path
        let first = EffectRunner.export(World.records, to: path, bom: true, overwrite: false)
        #expect(first == .success(ExportDone(path: path, count: 4)))
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(data.starts(with: [0xEF, 0xBB, 0xBF]) && data.count > 200)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600, "customer data: owner only")
        #expect(EffectRunner.export([World.records[0]], to: path, bom: false, overwrite: false) == .failure(.exists(path)))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == data, "left alone")
        #expect(EffectRunner.export([World.records[0]], to: path, bom: false, overwrite: true) == .success(ExportDone(path: path, count: 1)))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count < data.count)
        let nowhere = EffectRunner.export(World.records, to: "/proc/nope/out.csv", bom: false, overwrite: false)
        guard case .failure(.failed) = nowhere else {
            Issue.record("an unwritable place is a failure: \(nowhere)")
            return
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.csv"], "no temporary file left")
    }

    @Test func theOutcomeIsAToastInTheOperatorsLanguage() {
        var s = World.withResults(Size(width: 80, height: 24), language: .es)
        _ = update(&s, .exported(.success(ExportDone(path: "/home/ana/x.csv", count: 4))))
        #expect(s.toasts.last?.text == "Se guardaron 4 registros en /home/ana/x.csv.")
        _ = update(&s, .exported(.failure(.exists("/home/ana/x.csv"))))
        #expect(s.toasts.last?.text.contains(":export! /home/ana/x.csv") == true)
    }
}
