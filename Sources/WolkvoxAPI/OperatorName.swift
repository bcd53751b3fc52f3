import Foundation

/// Who is acting: `operator` from config, else `os-user@hostname`.
public enum OperatorName {
    /// The login name from the password database (exporting USER cannot change it) at this host.
    public static var fallback: String {
        var buffer = [CChar](repeating: 0, count: 256)
        let host = gethostname(&buffer, buffer.count) == 0 ? String(cString: buffer) : "localhost"
        return osUser + "@" + (host.isEmpty ? "localhost" : host)
    }

    /// The OS user as the password database names it; the uid if there is no entry.
    public static var osUser: String {
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? String(getuid())
    }

    /// nil when `name` is usable as an operator name: 1–64 characters, no
    /// control characters, no leading or trailing spaces; else why not.
    public static func problem(_ name: String) -> String? {
        if name.isEmpty || name.count > 64 { return "operator must be 1 to 64 characters" }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }) {
            return "operator must not contain control characters"
        }
        if name.trimmingCharacters(in: .whitespaces) != name { return "operator must not start or end with a space" }
        return nil
    }
}
