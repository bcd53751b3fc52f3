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

/// Every subcommand wvconsole has, under a stand-in root.
private struct WholeCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wvconsole",
        subcommands: [
            CheckCommand.self, CampaignsCommand.self, FindCommand.self, RecallCommand.self, DeleteCommand.self,
            DNCCommand.self, ImportCommand.self, AuditCommand.self, QuotaCommand.self,
        ])
    @OptionGroup var global: GlobalOptions
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
            // The word after an option that takes a value is that value, even when it reads like a subcommand.
            (["--json", "--id", "dnc", "find"], ["find", "--json", "--id", "dnc"]),
            (["--id=dnc", "--json", "find"], ["find", "--id=dnc", "--json"]),
            (["--days", "find", "dnc", "add", "300"], ["dnc", "add", "--days", "find", "300"]),
        ]
        for (input, expected) in cases {
            #expect(ArgumentOrder(root: Root.self).subcommandFirst(input) == expected, "\(input)")
        }
    }

    /// One set of value-taking names serves the whole tree only if no name
    /// is a flag in one command and takes a value in another.
    @Test func noNameIsAFlagInOneCommandAndAnOptionInAnother() {
        let real = ArgumentOrder.names(WholeCLI.self)
        #expect(real.values.contains("--config") && real.values.contains("--campaign") && real.flags.contains("--json"), "\(real)")
        #expect(real.values.isDisjoint(with: real.flags), "\(real.values.intersection(real.flags))")
    }

    /// A misspelt option is named, with the nearest real one, wherever it stands.
    @Test func aMisspeltOptionIsFoundWithItsNearestName() {
        let whole = ArgumentOrder(root: WholeCLI.self)
        #expect(whole.unknownOption(in: ["find", "--phon", "300"])?.nearest == "--phone")
        #expect(whole.unknownOption(in: ["--jsn", "find"])?.name == "--jsn")
        #expect(whole.unknownOption(in: ["--jsn", "find"])?.nearest == "--json")
        #expect(whole.unknownOption(in: ["find", "--zzzzzzzz"])?.nearest == nil)
        #expect(whole.unknownOption(in: ["find", "--phone=300", "--json", "--help"]) == nil)
        #expect(whole.unknownOption(in: ["find", "--", "--phon"]) == nil)
        for builtIn in ["--generate-completion-script=bash", "--experimental-dump-help", "--version", "--help-hidden"] {
            #expect(whole.unknownOption(in: [builtIn]) == nil, "\(builtIn)")
        }
        #expect(ArgumentOrder.editDistance("--phon", "--phone") == 1 && ArgumentOrder.editDistance("", "ab") == 2)
    }

    @Test func theReorderedLineParsesToTheSameCommand() throws {
        let line = try #require(ArgumentOrder(root: Root.self).subcommandFirst(["--json", "--days", "7", "dnc", "add", "300"]))
        let parsed = try Root.parseAsRoot(line)
        let add = try #require(parsed as? Root.DNC.Add)
        #expect(add.json && add.days == 7 && add.phones == ["300"])
        #expect(throws: (any Error).self) { try Root.parseAsRoot(["--json", "--days", "7", "dnc", "add", "300"]) }
    }
}
