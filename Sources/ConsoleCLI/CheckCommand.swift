import ArgumentParser

/// `wvconsole check`: does the server answer and does the token work?
public struct CheckCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Call the campaign list once and say whether the server and token work."
    )
    public init() {}
    public func run() async throws {}
}
