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

    /// The input pattern shown next to date fields.
    public static func inputHint(_ language: Language) -> String {
        language == .en ? "YYYY-MM-DD HH:MM" : "DD/MM/AAAA HH:MM"
    }
}
