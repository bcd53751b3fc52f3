import ArgumentParser
import Testing

@testable import ConsoleCLI

/// A command tree shaped like wvconsole's: a root with `find` and `dnc add`.
private struct Root: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "root", subcommands: [Find.self, DNC.self])
    struct Find: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "find")
        @Option var id: String?
        @Flag var json = false
    }
    struct DNC: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "dnc", subcommands: [Add.self])
        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "add")
            @Argument var phones: [String] = []
            @Option var days = 30
            @Flag var json = false
        }
    }
}

@Suite struct ArgumentOrderTests {
    @Test func theSubcommandPathMovesFirstAndEverythingElseKeepsItsOrder() {
        let cases: [([String], [String]?)] = [
            (["--json", "find", "--id", "X"], ["find", "--json", "--id", "X"]),
            (["--id", "X", "find"], ["find", "--id", "X"]),
            (["--json", "dnc", "add", "300", "301"], ["dnc", "add", "--json", "300", "301"]),
            (["dnc", "--json", "--days", "7", "add", "300"], ["dnc", "add", "--json", "--days", "7", "300"]),
            // Already in order, no subcommand, or the name only after `--`: nothing to do.
            (["find", "--json"], nil),
            (["dnc", "add", "--json", "300"], nil),
            (["--json"], nil),
            (["--json", "--", "find"], nil),
        ]
        for (input, expected) in cases {
            #expect(ArgumentOrder.subcommandFirst(input, root: Root.self) == expected, "\(input)")
        }
    }

    @Test func theReorderedLineParsesToTheSameCommand() throws {
        let line = try #require(ArgumentOrder.subcommandFirst(["--json", "--days", "7", "dnc", "add", "300"], root: Root.self))
        let parsed = try Root.parseAsRoot(line)
        let add = try #require(parsed as? Root.DNC.Add)
        #expect(add.json && add.days == 7 && add.phones == ["300"])
        #expect(throws: (any Error).self) { try Root.parseAsRoot(["--json", "--days", "7", "dnc", "add", "300"]) }
    }
}
