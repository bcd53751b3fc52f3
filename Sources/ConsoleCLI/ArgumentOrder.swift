import ArgumentParser

/// `wvconsole --json find --id X`: a subcommand's own options written before
/// its name. argument-parser reads a subcommand's options only after the
/// name, so such a line failed with "Unknown option"; the shared options
/// (`--read-only`, `--config`, `--lang`, …) already hold anywhere. When a
/// line does not parse as written, `main` tries it once more with the
/// subcommand path first and every other word after it, in the order given,
/// so an option keeps its value and positional arguments keep their order.
public enum ArgumentOrder {
    /// `arguments` with the subcommand path (`dnc`, `add`) moved to the
    /// front; nil when there is no subcommand or it is already first.
    public static func subcommandFirst(_ arguments: [String], root: any ParsableCommand.Type) -> [String]? {
        var command = root
        var pathIndices: [Int] = []
        for (i, word) in arguments.enumerated() {
            if word == "--" { break }
            if word.hasPrefix("-") { continue }
            let children = command.configuration.subcommands
            guard let child = children.first(where: { $0.configuration.commandName == word || $0.configuration.aliases.contains(word) }) else {
                continue
            }
            pathIndices.append(i)
            command = child
        }
        guard !pathIndices.isEmpty, pathIndices != Array(0..<pathIndices.count) else { return nil }
        let path = pathIndices.map { arguments[$0] }
        let rest = arguments.indices.filter { !pathIndices.contains($0) }.map { arguments[$0] }
        return path + rest
    }
}
