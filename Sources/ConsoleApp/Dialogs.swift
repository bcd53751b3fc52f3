import Foundation
import LocalStore
import TUIKit
import WolkvoxAPI
import Messages

/// The action dialogs. Each is a small state machine: keys edit fields or
/// move focus; Enter on the primary button validates and, only if valid and
/// not already sending, yields the one effect to send. A second Enter while
/// sending does nothing.
public enum Dialog: Sendable {
    case recall(RecallDialog)
    case delete(DeleteDialog)
    case dnc(DNCDialog)
    case addRecord(AddRecordDialog)
    /// Actions sent earlier whose outcome is unknown, found at start-up.
    case unconfirmed(Int)
}

/// Where a dialog's send stands.
public enum SendState: Sendable, Equatable {
    case editing
    case sending(actionID: Int)
    case done(String)
    /// Not (or not known to be) done. The dialog no longer sends: Enter
    /// closes it, `e` edits it again (a resend is a new decision: the
    /// confirmation and the pre-send look-up are asked again), and, when
    /// `unknown` (the change may have been applied), `c` reads it back.
    case failed(String, unknown: Bool = false, check: OutcomeCheck = .none)

    var isDone: Bool {
        if case .done = self { return true }
        return false
    }

    /// Done or failed: the dialog offers only Close (and check / edit after a failure).
    var isFinished: Bool {
        switch self {
        case .done, .failed: true
        case .editing, .sending: false
        }
    }

    var isSending: Bool {
        if case .sending = self { return true }
        return false
    }
}

/// A read-back of a change whose outcome is unknown, asked from its dialog.
public enum OutcomeCheck: Sendable, Equatable {
    case none
    case checking(actionID: Int)
    /// What the server shows now (`ReadBack`), and whether the journal entry was resolved with it.
    case done(Reconciliation)
    case failed(String)

    var isChecking: Bool {
        if case .checking = self { return true }
        return false
    }

    /// A read-back settled it (applied or not applied).
    var settled: Bool {
        if case .done(let r) = self { return Reconciler.settles(r.verdict) }
        return false
    }
}

public struct RecallDialog: Sendable {
    public enum Focus: Int, CaseIterable, Sendable { case date, phone, type, cancel, send }
    public var record: CustomerRecord
    public var campaignType: CampaignType
    public var date: TextField
    public var phoneChoices: [String]
    /// Index into `phoneChoices`, or `phoneChoices.count` for the typed one.
    public var phoneIndex = 0
    public var typedPhone = TextField("", maxLength: 20)
    public var focus: Focus = .date
    public var error: String?
    public var state: SendState = .editing
    /// The preset last applied with ↑/↓ in the date field (0 = none yet).
    public var presetIndex = 0

    /// Dates are typed and shown day-first in Spanish and Portuguese.
    public var language: Language

    public init(record: CustomerRecord, campaignType: CampaignType, now: Date, timeZone: TimeZone = .current, language: Language = .en) {
        self.record = record
        self.campaignType = campaignType
        self.language = language
        phoneChoices = record.phones
        date = TextField(RecallDialog.format(now.addingTimeInterval(3600), timeZone, language), maxLength: 16)
    }

    public var phone: String { phoneIndex < phoneChoices.count ? phoneChoices[phoneIndex] : typedPhone.value }

    static func format(_ d: Date, _ tz: TimeZone, _ language: Language) -> String {
        DateText.dateTime(d, language, timeZone: tz)
    }

    /// Presets 1–4: +15 min, +1 h, tomorrow 09:00, next Monday 09:00.
    public mutating func preset(_ n: Int, now: Date, timeZone: TimeZone = .current) {
        let cal = Calendar.gregorian(timeZone)
        let start = cal.startOfDay(for: now)
        let target: Date?
        switch n {
        case 1: target = now.addingTimeInterval(15 * 60)
        case 2: target = now.addingTimeInterval(3600)
        case 3: target = cal.date(byAdding: DateComponents(day: 1, hour: 9), to: start)
        case 4:
            let weekday = cal.component(.weekday, from: now)  // 1 = Sunday
            let days = (9 - weekday) % 7 == 0 ? 7 : (9 - weekday) % 7
            target = cal.date(byAdding: DateComponents(day: days, hour: 9), to: start)
        default: target = nil
        }
        if let target {
            date.set(Self.format(target, timeZone, language))
            presetIndex = n
        }
    }

    /// ↑/↓ in the date field step through the presets, where digits are typing.
    public mutating func stepPreset(forward: Bool, now: Date, timeZone: TimeZone = .current) {
        let next = forward ? (presetIndex % 4) + 1 : (presetIndex <= 1 ? 4 : presetIndex - 1)
        preset(next, now: now, timeZone: timeZone)
    }

    /// Validates; returns the order to send or sets `error`.
    public mutating func order(now: Date, timeZone: TimeZone = .current) -> RecallOrder? {
        let catalog = Catalog.shared(language)
        do {
            let when = try Validate.localDateTime(date.value, timeZone: timeZone, dayFirst: language != .en)
            _ = try Validate.recallDate(when, now: now, timeZone: timeZone)
            let p = try Validate.phone(phone)
            error = nil
            return RecallOrder(campaignID: record.campaignID, campaignType: campaignType, customerID: record.customerID, phone: p, when: when)
        } catch let v as ValidationError {
            error = catalog.explain(v)
            return nil
        } catch {
            self.error = "\(error)"
            return nil
        }
    }
}

public struct DeleteDialog: Sendable {
    public enum Focus: Int, CaseIterable, Sendable { case result, confirm, cancel, delete }
    public var records: [CustomerRecord]
    public var campaignID: String
    public var campaignName: String
    public var campaignType: CampaignType
    /// Only records with this result are deleted; nil = any result.
    public var onlyResult: RecordResult?
    /// Marked records the filter hides: never sent, and the dialog says so.
    public var hiddenMarked = 0
    /// Of these records, those an earlier change of this session left with
    /// an unknown outcome: the dialog names them, and Delete asks the server
    /// whether they are still there before it sends anything.
    public var pending: [String] = []
    /// That look-up before a resend.
    public var precheck: Precheck = .none

    public enum Precheck: Sendable, Equatable {
        case none
        case checking(actionID: Int)
        /// Still there (or the look-up could not tell, `warning`): the next Enter on Delete sends.
        case answered(warning: String?)
    }
    public var confirm = TextField("", maxLength: 140)
    /// Focus starts on Cancel: Enter by reflex does nothing harmful.
    public var focus: Focus = .cancel
    public var listScroll = 0
    public var state: SendState = .editing

    public init(records: [CustomerRecord], campaignName: String, campaignType: CampaignType) {
        self.records = records
        self.campaignID = records.first?.campaignID ?? ""
        self.campaignName = campaignName
        self.campaignType = campaignType
    }

    /// Rows the notes above the warning take (hidden marks, pending changes).
    var noteRows: Int { (hiddenMarked > 0 ? 1 : 0) + (pending.isEmpty && precheck == .none ? 0 : 1) }

    /// What the operator must type: the customer ID for one record, the count for several.
    public var expectedConfirmation: String { records.count == 1 ? records[0].customerID : String(records.count) }

    public var confirmed: Bool { confirm.value.trimmingCharacters(in: .whitespaces) == expectedConfirmation }

    /// ← → step through "any result" and each result in turn.
    public mutating func stepResult(forward: Bool) {
        let choices: [RecordResult?] = [nil] + RecordResult.allCases
        let i = choices.firstIndex(of: onlyResult) ?? 0
        onlyResult = choices[i.cycled(by: forward ? 1 : -1, in: choices.count)]
    }

    /// Records in the dialog the result filter keeps (all of them without one).
    public var matching: Int {
        guard let only = onlyResult else { return records.count }
        return records.filter { $0.result.lowercased() == only.rawValue }.count
    }

    public var order: RemovalOrder {
        RemovalOrder(campaignID: campaignID, campaignType: campaignType, customerIDs: records.map(\.customerID), onlyResult: onlyResult)
    }
}

public struct DNCDialog: Sendable {
    public enum Focus: Int, CaseIterable, Sendable { case numbers, days, cancel, send }
    public var numbers: TextField
    public var days: TextField
    public var focus: Focus = .numbers
    public var state: SendState = .editing
    public var error: String?
    public var language: Language

    public var countryCode: String?
    /// The focused record's phones, shown as a hint when nothing is pre-filled.
    public var recordPhones: [String]
    /// For each valid number typed: how many loaded results carry it
    /// (a switchboard shared by 59 records is blocked for all 59).
    public var sharedCounts: [String: Int] = [:]

    public init(prefill: [String], days: Int, language: Language = .en, countryCode: String? = nil, recordPhones: [String] = []) {
        self.language = language
        self.countryCode = countryCode
        self.recordPhones = recordPhones
        numbers = TextField(prefill.joined(separator: ", "), maxLength: 4000)
        self.days = TextField(String(days), maxLength: 4)
    }

    /// Normalised valid numbers and every invalid item, recomputed as the operator types.
    public var parsed: (valid: [String], invalid: [String]) {
        var valid: [String] = [], invalid: [String] = []
        for raw in Validate.splitPhoneList(numbers.value) {
            if let p = try? Validate.phone(raw, countryCode: countryCode) { if !valid.contains(p) { valid.append(p) } } else { invalid.append(raw) }
        }
        return (valid, invalid)
    }

    /// Recounts `sharedCounts` over the loaded results (after each edit).
    public mutating func countShared(in records: [CustomerRecord]) {
        let wanted = Set(parsed.valid)
        var counts: [String: Int] = [:]
        if !wanted.isEmpty {
            for r in records {
                for p in Set(r.phones) where wanted.contains(p) { counts[p, default: 0] += 1 }
            }
        }
        sharedCounts = counts
    }

    public mutating func entries() -> [DNCEntry]? {
        let p = parsed
        let c = Catalog.shared(language)
        guard p.invalid.isEmpty else {
            error = c.text("dnc.fix_invalid", ["numbers": p.invalid.map { TerminalText.sanitize($0, limit: 24) }.joined(separator: ", ")])
            return nil
        }
        guard !p.valid.isEmpty else {
            error = c["dnc.type_one"]
            return nil
        }
        guard let d = try? Validate.daysBlock(days.value) else {
            error = c["dnc.days_range"]
            return nil
        }
        error = nil
        return p.valid.map { DNCEntry(telephone: $0, days: d) }
    }
}

public struct AddRecordDialog: Sendable {
    /// add_record replaces a record whose customer_id already exists in the
    /// campaign, so the dialog looks it up first and asks.
    public enum ExistingCheck: Sendable, Equatable {
        case unchecked
        case checking(actionID: Int)
        /// Nobody has this ID in the campaign: the add goes ahead.
        case none
        /// These records would be replaced: a second Enter confirms.
        case found([CustomerRecord])
        /// The look-up failed: a second Enter adds without knowing.
        case failed(String)
    }

    public static let fields = NewRecord.fieldNames
    public var campaign: Campaign
    public var values: [TextField]
    public var focus = 0
    public var scroll = 0
    public var state: SendState = .editing
    public var error: String?
    public var language: Language
    public var existing: ExistingCheck = .unchecked
    /// The API name of the field the last error is about.
    public var errorField: String?

    public init(campaign: Campaign, language: Language = .en) {
        self.campaign = campaign
        self.language = language
        values = Self.fields.map { _ in TextField("", maxLength: 200) }
    }

    /// A field's label in the operator's language, with the API name beside
    /// it (the name a CSV header uses): "Nombre · customer_name".
    public static func label(_ name: String, _ c: Catalog) -> String {
        if name.hasPrefix("opt") { return name }
        if name.hasPrefix("tel"), let n = Int(name.dropFirst(3)) { return c.text("field.tel", ["n": String(n)]) + " · " + name }
        return c.has("field." + name) ? c["field." + name] + " · " + name : name
    }

    /// Focus positions: fields, then Cancel, then Add.
    public var cancelIndex: Int { Self.fields.count }
    public var sendIndex: Int { Self.fields.count + 1 }

    public mutating func record() -> NewRecord? {
        var r = NewRecord()
        for (i, name) in Self.fields.enumerated() { r[name] = values[i].value.trimmingCharacters(in: .whitespaces) }
        do {
            if r["tel1"].isEmpty {
                error = Catalog.shared(language)["add.tel1_required"]
                errorField = "tel1"
                return nil
            }
            r["tel1"] = try Validate.phone(r["tel1"])
            for name in (2...10).map({ "tel\($0)" }) + ["tel_extra", "recall_telephone"] where !r[name].isEmpty { r[name] = try Validate.phone(r[name]) }
            if !r["customer_id"].isEmpty { r["customer_id"] = try Validate.customerID(r["customer_id"]) }
            if !r["recall_date"].isEmpty {
                r["recall_date"] = try Validate.recallDate(try Validate.localDateTime(r["recall_date"], dayFirst: language != .en))
            }
        } catch let v as ValidationError {
            error = Catalog.shared(language).explain(v)
            errorField =
                switch v.field {
                case .customerID: "customer_id"
                case .recallDate: "recall_date"
                case .phone:
                    Self.fields.first { ($0.hasPrefix("tel") || $0 == "recall_telephone") && (try? Validate.phone(r[$0])) == nil && !r[$0].isEmpty } ?? "tel1"
                default: nil
                }
            return nil
        } catch {
            self.error = "\(error)"
            return nil
        }
        error = nil
        return r
    }
}
