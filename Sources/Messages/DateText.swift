import Foundation

/// Dates as the operator reads them: `2026-11-24 14:05` in English,
/// `24/11/2026 14:05` in Spanish and Portuguese. What is sent to the API
/// keeps the API's own format; this is display only.
public enum DateText {
    public static func dateTime(_ date: Date, _ language: Language, timeZone: TimeZone = .current) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = timeZone
        f.dateFormat = language == .en ? "yyyy-MM-dd HH:mm" : "dd/MM/yyyy HH:mm"
        return f.string(from: date)
    }

    /// A moment spelled out for a confirmation line: `Tue 24 Nov 2026 14:05`,
    /// `mar 24 nov 2026 14:05`, `ter 24 nov 2026 14:05`.
    public static func long(_ date: Date, _ language: Language, timeZone: TimeZone = .current) -> String {
        let c = Calendar.gregorian(timeZone).dateComponents([.weekday, .day, .month, .year, .hour, .minute], from: date)
        let days: [String], months: [String]
        switch language {
        case .en:
            days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
            months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        case .es:
            days = ["dom", "lun", "mar", "mié", "jue", "vie", "sáb"]
            months = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"]
        case .pt:
            days = ["dom", "seg", "ter", "qua", "qui", "sex", "sáb"]
            months = ["jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"]
        }
        guard let wd = c.weekday, let d = c.day, let m = c.month, let y = c.year, let h = c.hour, let mi = c.minute else {
            return dateTime(date, language, timeZone: timeZone)
        }
        return "\(days[wd - 1]) \(d) \(months[m - 1]) \(y) " + String(format: "%02d:%02d", h, mi)
    }

    /// The input pattern shown next to date fields.
    public static func inputHint(_ language: Language) -> String {
        language == .en ? "YYYY-MM-DD HH:MM" : "DD/MM/AAAA HH:MM"
    }

    /// A record's `date` as the server sent it (`2026-11-05 14:22:10`), in
    /// the language's order (`05/11/2026 14:22`). Anything that does not have
    /// that shape is returned unchanged: never guess at a date.
    public static func record(_ raw: String, _ language: Language) -> String {
        let u = Array(raw.utf8)
        func digits(_ r: Range<Int>) -> Bool { r.allSatisfy { u[$0] >= 48 && u[$0] <= 57 } }
        guard u.count >= 16, digits(0..<4), u[4] == 45, digits(5..<7), u[7] == 45, digits(8..<10),
            u[10] == 32 || u[10] == 84, digits(11..<13), u[13] == 58, digits(14..<16)
        else { return raw }
        let s = Array(raw.unicodeScalars.prefix(16)).map(Character.init)
        let year = String(s[0..<4]), month = String(s[5..<7]), day = String(s[8..<10]), time = String(s[11..<16])
        return language == .en ? "\(year)-\(month)-\(day) \(time)" : "\(day)/\(month)/\(year) \(time)"
    }
}
