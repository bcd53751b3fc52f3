/// Built-in themes, identical to the files in `themes/` so the console works
/// even when run from a binary without the repository beside it.
extension Theme {
    public static let dark = Theme(
        name: "dark",
        styles: [
            .background: Style(), .text: Style(foreground: .indexed(252)), .muted: Style(foreground: .indexed(244)),
            .border: Style(foreground: .indexed(240)), .borderFocused: Style(foreground: .indexed(75), attributes: .bold),
            .header: Style(foreground: .indexed(110), attributes: .bold), .selection: Style(foreground: .indexed(16), background: .indexed(75)),
            .marked: Style(foreground: .indexed(214), attributes: .bold), .accent: Style(foreground: .indexed(75)),
            .success: Style(foreground: .indexed(114)), .warning: Style(foreground: .indexed(214)),
            .danger: Style(foreground: .indexed(203), attributes: .bold),
            .badgeDemo: Style(foreground: .indexed(16), background: .indexed(214), attributes: .bold),
            .badgeReadOnly: Style(foreground: .indexed(16), background: .indexed(114), attributes: .bold),
        ])

    public static let light = Theme(
        name: "light",
        styles: [
            // Its own white page: a light theme must not rely on the terminal's background.
            .background: Style(foreground: .indexed(235), background: .indexed(231)), .text: Style(foreground: .indexed(235)),
            .muted: Style(foreground: .indexed(243)),
            .border: Style(foreground: .indexed(248)), .borderFocused: Style(foreground: .indexed(25), attributes: .bold),
            .header: Style(foreground: .indexed(24), attributes: .bold), .selection: Style(foreground: .indexed(231), background: .indexed(25)),
            .marked: Style(foreground: .indexed(130), attributes: .bold), .accent: Style(foreground: .indexed(25)),
            .success: Style(foreground: .indexed(28)), .warning: Style(foreground: .indexed(130)),
            .danger: Style(foreground: .indexed(160), attributes: .bold),
            .badgeDemo: Style(foreground: .indexed(231), background: .indexed(130), attributes: .bold),
            .badgeReadOnly: Style(foreground: .indexed(231), background: .indexed(28), attributes: .bold),
        ])

    public static let highContrast = Theme(
        name: "high-contrast",
        styles: [
            .background: Style(), .text: Style(foreground: .indexed(15)), .muted: Style(foreground: .indexed(7)),
            .border: Style(foreground: .indexed(15)), .borderFocused: Style(foreground: .indexed(11), attributes: .bold),
            .header: Style(foreground: .indexed(15), attributes: [.bold, .underline]),
            .selection: Style(foreground: .indexed(0), background: .indexed(11), attributes: .bold),
            .marked: Style(foreground: .indexed(14), attributes: .bold), .accent: Style(foreground: .indexed(14)),
            .success: Style(foreground: .indexed(10), attributes: .bold), .warning: Style(foreground: .indexed(11), attributes: .bold),
            .danger: Style(foreground: .indexed(9), attributes: [.bold, .underline]),
            .badgeDemo: Style(foreground: .indexed(0), background: .indexed(11), attributes: .bold),
            .badgeReadOnly: Style(foreground: .indexed(0), background: .indexed(10), attributes: .bold),
        ])

    /// For `NO_COLOR` and colourless terminals: attributes only.
    public static let monochrome = Theme(
        name: "mono",
        styles: [
            .background: Style(), .text: Style(), .muted: Style(attributes: .dim), .border: Style(),
            .borderFocused: Style(attributes: .bold), .header: Style(attributes: [.bold, .underline]),
            .selection: Style(attributes: .reverse), .marked: Style(attributes: .bold), .accent: Style(attributes: .bold),
            .success: Style(), .warning: Style(attributes: .bold), .danger: Style(attributes: [.bold, .underline]),
            .badgeDemo: Style(attributes: .reverse), .badgeReadOnly: Style(attributes: .reverse),
        ])
}
