import Foundation

/// Why an input was refused before anything was sent. `message` is one line a
/// supervisor understands; `field` names what to fix.
public struct ValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Field: String, Sendable, Codable {
        case server, phone, customerID, recallDate, daysBlock, campaignType, result, campaignID, records, baseURL
    }

    public var field: Field
    /// English text, for logs, the CLI's `--json` and as the catalogue's fallback.
    public var message: String
    /// Catalogue key (`validation.<key>`) and its `{placeholders}`, so the
    /// console and CLI can say the same thing in Spanish or Portuguese.
    public var key: String?
    public var args: [String: String]

    public init(_ field: Field, _ message: String, key: String? = nil, _ args: [String: String] = [:]) {
        self.field = field
        self.message = message
        self.key = key
        self.args = args
    }

    public var description: String { message }
}

/// Input rules from the API contract, applied before any request is built.
public enum Validate {
    /// Server nomenclature; restricted so it can never redirect requests to another host.
    public static func serverName(_ raw: String) throws -> String {
        let value = raw.trimmingCharacters(in: .whitespaces)
        guard (1...32).contains(value.utf8.count),
            value.utf8.allSatisfy({ isASCIIAlnum($0) || $0 == UInt8(ascii: "-") })
        else {
            throw ValidationError(
                .server, "Server name must be 1–32 letters, digits or dashes (e.g. 0025), got \(quoted(raw)).", key: "server", ["value": quoted(raw)])
        }
        return value
    }

    /// Strips spaces, dashes, dots and parentheses; keeps an optional leading `+`; 5–15 digits.
    /// One phone number as people type and paste it: spaces, dashes, dots and
    /// parentheses are formatting and are dropped; a leading `+` is kept, or,
    /// with the operation's `countryCode` ("57"), `+57 300 123 4567` becomes the
    /// national `3001234567`.
    public static func phone(_ raw: String, countryCode: String? = nil) throws -> String {
        var out = ""
        var digits = 0
        for (index, ch) in raw.trimmingCharacters(in: .whitespaces).enumerated() {
            if ch == " " || ch == "-" || ch == "." || ch == "(" || ch == ")" || ch == "\t" || ch == "\u{A0}" { continue }
            if ch == "+" && index == 0 {
                out.append(ch)
                continue
            }
            guard ch.isASCII, ch.isNumber else {
                throw ValidationError(.phone, "Phone \(quoted(raw)) has a character that is not a digit.", key: "phone_not_digit", ["value": quoted(raw)])
            }
            out.append(ch)
            digits += 1
        }
        if let cc = countryCode, !cc.isEmpty, out.hasPrefix("+" + cc) {
            out.removeFirst(cc.count + 1)
            digits -= cc.count
        }
        guard digits >= 5 else { throw ValidationError(.phone, "Phone \(quoted(raw)) is too short (5–15 digits).", key: "phone_short", ["value": quoted(raw)]) }
        guard digits <= 15 else { throw ValidationError(.phone, "Phone \(quoted(raw)) is too long (5–15 digits).", key: "phone_long", ["value": quoted(raw)]) }
        return out
    }

    /// Customer IDs: trimmed, non-empty, and no commas (remove_record joins IDs with commas).
    public static func customerID(_ raw: String) throws -> String {
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { throw ValidationError(.customerID, "Customer ID is empty.", key: "id_empty") }
        guard !value.contains(",") else {
            throw ValidationError(.customerID, "Customer ID \(quoted(value)) contains a comma.", key: "id_comma", ["value": quoted(value)])
        }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ValidationError(.customerID, "Customer ID contains a control character.", key: "id_control")
        }
        guard value.count <= 128 else { throw ValidationError(.customerID, "Customer ID is longer than 128 characters.", key: "id_long") }
        return value
    }

    public static func campaignID(_ raw: String) throws -> String {
        let value = raw.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { throw ValidationError(.campaignID, "Campaign ID is empty.") }
        guard value.count <= 64, !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ValidationError(.campaignID, "Campaign ID \(quoted(value)) is not valid.")
        }
        return value
    }

    /// A recall moment must be a real local time in the future; returns `yyyyMMddHHmmss`.
    public static func recallDate(_ date: Date, now: Date = Date(), timeZone: TimeZone = .current) throws -> String {
        guard date > now else {
            throw ValidationError(
                .recallDate, "Recall time \(displayFormatter(timeZone).string(from: date)) is not in the future.", key: "recall_past",
                ["time": displayFormatter(timeZone).string(from: date), "epoch": String(Int(date.timeIntervalSince1970))])
        }
        return apiFormatter(timeZone).string(from: date)
    }

    /// Parses operator input `YYYY-MM-DD HH:MM` as local time, refusing impossible dates
    /// (Feb 30, 25:00) instead of letting the calendar roll them over. With
    /// `dayFirst` (Spanish and Portuguese screens) `DD/MM/YYYY HH:MM` is read
    /// too; slashes are refused otherwise, since `03/04` is ambiguous in English.
    public static func localDateTime(_ raw: String, timeZone: TimeZone = .current, dayFirst: Bool = false) throws -> Date {
        let text = raw.trimmingCharacters(in: .whitespaces)
        let pattern = dayFirst ? "DD/MM/AAAA HH:MM" : "YYYY-MM-DD HH:MM"
        let wrongShape = ValidationError(
            .recallDate, "Write the time as \(pattern), got \(quoted(raw)).", key: "time_shape",
            ["pattern": pattern, "value": quoted(raw)])
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 2 else { throw wrongShape }
        let slashed = parts[0].contains("/")
        guard !slashed || dayFirst else { throw wrongShape }
        let day = parts[0].split(separator: slashed ? "/" : "-", omittingEmptySubsequences: false).map { Int($0) }
        let clock = parts[1].split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard day.count == 3, clock.count == 2 || clock.count == 3, parts[0].count == 10,
            let first = day[0], let mo = day[1], let last = day[2], let h = clock[0], let mi = clock[1]
        else {
            throw wrongShape
        }
        let (y, d) = slashed ? (last, first) : (first, last)
        let s = clock.count == 3 ? (clock[2] ?? -1) : 0
        let calendar = Calendar.gregorian(timeZone)
        let components = DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
        guard (0...23).contains(h), (0...59).contains(mi), (0...59).contains(s),
            let date = calendar.date(from: components),
            calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date) == DateComponents(year: y, month: mo, day: d, hour: h, minute: mi)
        else {
            throw ValidationError(.recallDate, "\(quoted(raw)) is not a real date and time.", key: "time_unreal", ["value": quoted(raw)])
        }
        return date
    }

    /// Numbers typed or pasted as one text, separated by newlines, commas,
    /// semicolons or tabs. Spaces never separate: "300 123 4567" is one
    /// number, and "3001234567 12 3209998877" is one (invalid) item that is
    /// named as such rather than guessed at.
    public static func splitPhoneList(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "\n" || $0 == "," || $0 == ";" || $0 == "\r" || $0 == "\t" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    /// A country code as config gives it: 1–3 digits, an optional leading `+`.
    public static func countryCode(_ raw: String) throws -> String {
        let t = raw.trimmingCharacters(in: .whitespaces)
        let digits = t.hasPrefix("+") ? String(t.dropFirst()) : t
        guard (1...3).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ValidationError(.phone, "country_code must be 1–3 digits, such as \"57\", got \(quoted(raw)).")
        }
        return digits
    }

    public static func daysBlock(_ raw: String) throws -> Int {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard let days = Int(text), days > 0, days <= 3650 else {
            throw ValidationError(.daysBlock, "Days to block must be a whole number from 1 to 3650, got \(quoted(raw)).", key: "days", ["value": quoted(raw)])
        }
        return days
    }

    public static func campaignType(_ raw: String) throws -> CampaignType {
        guard let type = CampaignType(rawValue: raw.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw ValidationError(.campaignType, "Campaign type must be preview or predictive, got \(quoted(raw)).")
        }
        return type
    }

    public static func result(_ raw: String) throws -> RecordResult {
        guard let result = RecordResult(rawValue: raw.trimmingCharacters(in: .whitespaces).lowercased()) else {
            let allowed = RecordResult.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError(.result, "Result must be one of \(allowed); got \(quoted(raw)).")
        }
        return result
    }

    static func apiFormatter(_ timeZone: TimeZone) -> DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.calendar = .gregorian(timeZone)
        f.timeZone = timeZone
        f.dateFormat = "yyyyMMddHHmmss"
        return f
    }

    static func displayFormatter(_ timeZone: TimeZone) -> DateFormatter {
        let f = apiFormatter(timeZone)
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f
    }

    private static func isASCIIAlnum(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122)
    }

    /// Quotes user input for an error line, made safe and short.
    static func quoted(_ raw: String) -> String {
        "\"\(TerminalText.sanitize(raw, limit: 40))\""
    }
}

extension Calendar {
    /// The Gregorian calendar in `timeZone`: the API's dates, the console's
    /// clock and the stores' days are all reckoned in it, whatever the user's
    /// locale prefers (Buddhist, Japanese…).
    public static func gregorian(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
}
