import Foundation
import Messages
import TUIKit
import Testing
@testable import ConsoleApp
import WolkvoxAPI

/// A fixed world for update and render tests: same data, same clock, same zone.
enum World {
    static let utc = TimeZone(identifier: "UTC")!
    static let now = Date(timeIntervalSince1970: 1_795_529_100)  // 2026-11-24 14:05 UTC

    static let campaigns = [
        Campaign(id: "101", name: "Cobranza Norte", type: "predictive", status: "Started", records: "500"),
        Campaign(id: "202", name: "Ventas Renovación", type: "preview", status: "Started", records: "500"),
        Campaign(id: "303", name: "Encuestas Q4", type: "predictive", status: "Stopped", records: "500"),
    ]

    static let records: [CustomerRecord] = [
        CustomerRecord(
            customerName: "María José", customerLastName: "Peñaloza Ñúñez", customerID: "CC1001", tel1: "3001234567",
            tel2: "6014445566", date: "2026-11-21 14:05:00", calls: "2", connID: "c1001", result: "no-answer", campaignID: "101"),
        CustomerRecord(
            customerName: "山田", customerLastName: "太郎", customerID: "JP-77", tel1: "3001234567",
            date: "2026-11-20 09:12:00", calls: "4", connID: "c77", result: "busy", campaignID: "101"),
        CustomerRecord(
            customerName: "Ana 🌻", customerLastName: "Gonçalves", customerID: "BR-2203", tel1: "5511987654321",
            date: "2026-11-19 17:45:00", calls: "0", connID: "c2203", result: "answer", campaignID: "101"),
        CustomerRecord(
            customerName: "Evil\u{1B}[31mRED", customerLastName: "\u{202E}gnorw", customerID: "X-1", tel1: "3009990000",
            date: "2026-11-18 08:00:00", calls: "1", connID: "", result: "failed", campaignID: "101"),
    ]

    static func state(_ size: Size = Size(width: 120, height: 40), language: Language = .en, readOnly: Bool = false) -> AppState {
        var s = AppState(
            size: size, theme: .dark, catalog: Catalog(language), server: "0025", demo: true, readOnly: readOnly,
            quota: 5000, now: now)
        s.timeZone = utc
        s.callsToday = 214
        _ = update(&s, .campaignsLoaded(.success(campaigns)))
        return s
    }

    /// A state with the four records loaded as the answer to a search.
    static func withResults(_ size: Size = Size(width: 120, height: 40), language: Language = .en, readOnly: Bool = false) -> AppState {
        var s = state(size, language: language, readOnly: readOnly)
        _ = type(&s, "3001234567")
        _ = update(&s, .key(.enter))
        _ = update(
            &s,
            .searchFinished(
                generation: s.generation, .success(FindAnswer(query: FindQuery(phone: "3001234567"), records: records, message: "4 records were found")),
                seconds: 0.21))
        return s
    }

    @discardableResult
    static func type(_ s: inout AppState, _ text: String) -> [Effect] {
        text.flatMap { update(&s, .key(.char($0))) }
    }

    /// The open dialog as a recall, delete, DNC or add dialog; fails the test otherwise.
    static func recall(_ s: AppState, sourceLocation: SourceLocation = #_sourceLocation) throws -> RecallDialog {
        try #require(s.dialog.flatMap { if case .recall(let d) = $0 { d } else { nil } }, "no recall dialog open", sourceLocation: sourceLocation)
    }

    static func delete(_ s: AppState, sourceLocation: SourceLocation = #_sourceLocation) throws -> DeleteDialog {
        try #require(s.dialog.flatMap { if case .delete(let d) = $0 { d } else { nil } }, "no delete dialog open", sourceLocation: sourceLocation)
    }

    static func keys(_ s: inout AppState, _ keys: Key...) -> [Effect] {
        keys.flatMap { update(&s, .key($0)) }
    }
}

/// Compares a rendered buffer with `Tests/Snapshots/<name>_<W>x<H>.txt`.
/// `SNAPSHOT_RECORD=1 swift test` writes the files; a missing file fails.
func assertSnapshot(_ state: AppState, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    var buffer = Buffer(size: state.size)
    render(state, into: &buffer)
    let text = buffer.text + "\n"
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Snapshots")
    let file = dir.appendingPathComponent("\(name)_\(state.size.width)x\(state.size.height).txt")
    if ProcessInfo.processInfo.environment["SNAPSHOT_RECORD"] == "1" {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record("missing snapshot \(file.lastPathComponent); run SNAPSHOT_RECORD=1 swift test", sourceLocation: sourceLocation)
        return
    }
    #expect(text == expected, "snapshot \(file.lastPathComponent) differs", sourceLocation: sourceLocation)
    // Whatever the content, every line must fill exactly the terminal width.
    for y in 0..<buffer.height {
        #expect(DisplayWidth.of(buffer.line(y)) == buffer.width, "line \(y) misaligned", sourceLocation: sourceLocation)
    }
}

/// The screen as text, for assertions on what the operator sees.
func screenText(_ state: AppState) -> String {
    var buffer = Buffer(size: state.size)
    render(state, into: &buffer)
    return buffer.text
}
