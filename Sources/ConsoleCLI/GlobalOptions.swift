import ArgumentParser
import ConsoleConfig
import Foundation

/// Options every CLI subcommand shares.
public struct GlobalOptions: ParsableArguments {
    @Option(help: "Path to config.toml (default: $XDG_CONFIG_HOME/wvconsole/config.toml).")
    public var config: String?

    @Option(help: "Server nomenclature (e.g. 0025); overrides config and WOLKVOX_SERVER.")
    public var server: String?

    @Flag(name: .customLong("read-only"), help: "Refuse every action that changes data.")
    public var readOnly = false

    public init() {}

    public func loadConfig(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfig {
        let loaded = try ConfigLoader.load(path: config.map { URL(fileURLWithPath: $0) }, environment: environment,
                                           overrides: .init(server: server, readOnly: readOnly))
        CLIText.adopt(loaded, environment: environment)
        return loaded
    }
}
