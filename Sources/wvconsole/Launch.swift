import Foundation

/// Opens the interactive console. (Filled in by the console work.)
func launchConsole(_ options: ConsoleLaunchOptions) async throws -> Int32 {
    FileHandle.standardError.write(Data("wvconsole: the console is not built yet\n".utf8))
    return 1
}
