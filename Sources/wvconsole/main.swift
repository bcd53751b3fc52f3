import ArgumentParser

// Entry point: the root command (`WVConsoleCommand`) either opens the console
// or dispatches to a CLI subcommand.
await WVConsoleCommand.main()
