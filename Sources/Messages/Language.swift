/// Interface languages. Wolkvox operations are mostly in Latin America, so
/// Spanish and Portuguese are first-class, not afterthoughts.
public enum Language: String, Sendable, CaseIterable, Codable {
    case en, es, pt

    /// `config.toml` `language` wins; then `LC_ALL`, `LC_MESSAGES`, `LANG`
    /// (`es_CO.UTF-8` → es, `pt_BR` → pt); anything else, or garbage, → English.
    public static func detect(configured: String?, environment env: [String: String]) -> Language {
        if let c = configured, let l = Language(rawValue: c.lowercased()) { return l }
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = env[key], !value.isEmpty else { continue }
            // The first variable that is set decides, as in POSIX; "C"/"POSIX" mean English.
            return fromLocale(value) ?? .en
        }
        return .en
    }

    /// `es_CO.UTF-8@euro` → es; nil when the value names no language we have.
    public static func fromLocale(_ value: String) -> Language? {
        let lang = value.prefix { $0.isLetter }.lowercased()
        return Language(rawValue: lang)
    }
}
