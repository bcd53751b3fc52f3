import ArgumentParser
import Foundation

/// `wvconsole --json find --id X`: a subcommand's own options written before
/// its name. argument-parser reads a subcommand's options only after the
/// name, so such a line failed with "Unknown option"; the shared options
/// (`--read-only`, `--config`, `--lang`, …) already hold anywhere. When a
/// line does not parse as written, `main` tries it once more with the
/// subcommand path first and every other word after it, in the order given,
/// so an option keeps its value and positional arguments keep their order.
///
/// One value per line that did not parse: the command tree's option names
/// are read once (argument-parser's own description of the commands) and
/// serve the reordering, the misspelt-option check and the command's name.
public struct ArgumentOrder {
    /// Option names that take a value, and flag names, across the tree.
    let values: Set<String>
    let flags: Set<String>
    private let root: any ParsableCommand.Type

    public init(root: any ParsableCommand.Type) {
        self.root = root
        (values, flags) = Self.names(root)
    }

    /// `arguments` with the subcommand path (`dnc`, `add`) moved to the
    /// front; nil when there is no subcommand or it is already first. The
    /// word after an option that takes a value is that value, never a
    /// subcommand (`--config campaigns quota` names the file `campaigns`).
    public func subcommandFirst(_ arguments: [String]) -> [String]? {
        let pathIndices = subcommandPath(arguments)
        guard !pathIndices.isEmpty, pathIndices != Array(0..<pathIndices.count) else { return nil }
        let path = pathIndices.map { arguments[$0] }
        let rest = arguments.indices.filter { !pathIndices.contains($0) }.map { arguments[$0] }
        return path + rest
    }

    /// The subcommand the line names (`dnc add`), wherever its words stand; "" for none.
    public func commandName(_ arguments: [String]) -> String {
        subcommandPath(arguments).map { arguments[$0] }.joined(separator: " ")
    }

    /// The first `--option` in `arguments` that no command in the tree
    /// knows, with the nearest known name when one is close (`--phon` →
    /// `--phone`). argument-parser runs a command's own checks before it
    /// reports unknown options, so `find --phon 300…` said "Give --phone or
    /// --id." and hid the typo.
    public func unknownOption(in arguments: [String]) -> (name: String, nearest: String?)? {
        // argument-parser's own: help, version, completion scripts, the JSON dump.
        let builtIn: Set = ["--help", "-h", "--help-hidden", "--version", "--generate-completion-script", "--experimental-dump-help"]
        let all = values.union(flags).union(builtIn)
        for (_, word) in words(arguments) where word.hasPrefix("--") {
            let name = String(word.split(separator: "=", maxSplits: 1).first ?? "")
            if all.contains(name) { continue }
            let nearest = all.filter { $0.hasPrefix("--") }.map { ($0, Self.editDistance($0, name)) }.filter { $0.1 <= 2 }.min { $0.1 < $1.1 }?.0
            return (name, nearest)
        }
        return nil
    }

    /// Where the subcommand's words stand in `arguments`.
    func subcommandPath(_ arguments: [String]) -> [Int] {
        var command = root
        var pathIndices: [Int] = []
        for (i, word) in words(arguments) where !word.hasPrefix("-") {
            let children = command.configuration.subcommands
            guard let child = children.first(where: { $0.configuration.commandName == word || $0.configuration.aliases.contains(word) }) else {
                continue
            }
            pathIndices.append(i)
            command = child
        }
        return pathIndices
    }

    /// The words before `--` with their places, less the value each option
    /// that takes one is given (`--config campaigns`: `campaigns` is left out).
    /// A word that starts with `-` is always an option, as argument-parser reads it.
    private func words(_ arguments: [String]) -> [(Int, String)] {
        var out: [(Int, String)] = []
        var valueNext = false
        for (i, word) in arguments.enumerated() {
            if word == "--" { break }
            if valueNext && !word.hasPrefix("-") {
                valueNext = false
                continue
            }
            valueNext = word.hasPrefix("-") && !word.contains("=") && values.contains(word)
            out.append((i, word))
        }
        return out
    }

    /// Levenshtein distance, for the suggestion.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8)
        let b = Array(b.utf8)
        var row = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(1, b.count) where !b.isEmpty {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }

    /// Option names that take a value (`values`) and flag names (`flags`) across the tree.
    static func names(_ root: any ParsableCommand.Type) -> (values: Set<String>, flags: Set<String>) {
        guard let json = try? JSONSerialization.jsonObject(with: Data(root._dumpHelp().utf8)) as? [String: Any],
            let top = json["command"] as? [String: Any]
        else { return ([], []) }
        var values: Set<String> = []
        var flags: Set<String> = []
        func walk(_ command: [String: Any]) {
            for argument in command["arguments"] as? [[String: Any]] ?? [] {
                let spelled = (argument["names"] as? [[String: Any]] ?? []).compactMap { name -> String? in
                    guard let text = name["name"] as? String else { return nil }
                    return (name["kind"] as? String) == "short" ? "-" + text : "--" + text
                }
                switch argument["kind"] as? String {
                case "option": values.formUnion(spelled)
                case "flag": flags.formUnion(spelled)
                default: break
                }
            }
            for child in command["subcommands"] as? [[String: Any]] ?? [] { walk(child) }
        }
        walk(top)
        return (values, flags)
    }
}
