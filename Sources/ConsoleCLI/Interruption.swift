import Foundation
import Messages
import Synchronization
import WolkvoxAPI

/// Ctrl-C in a CLI command. The first cancels the command's task: a request
/// in flight is dropped (its journal entry, for a change, stays "unknown"
/// until `audit --resolve`), a bulk job leaves its remaining chunks unsent
/// and resumable, and the command reports what happened in its own words
/// (under `--json`, its one object, kind `cancelled`). The process then
/// exits 130, as a shell reports a process ended by SIGINT. At a
/// confirmation question (nothing in flight), a second Ctrl-C, or a command
/// that has not ended 3 s after the first, the process ends at once.
public enum Interruption {
    public static let exitStatus: Int32 = 130
    private static let signalQueue = DispatchQueue(label: "wvconsole.sigint")
    private static let pressed = Atomic<Int>(0)
    private static let prompting = Atomic<Bool>(false)
    /// Waiting for a cancelled request to end on the server (the 3 s grace does not apply).
    private static let settling = Atomic<Bool>(false)
    /// 0: nothing written to stdout yet; 1: the command wrote its object; 2: the process is giving up.
    private static let output = Atomic<Int>(0)

    /// Ctrl-C was pressed while the command ran.
    public static var happened: Bool { pressed.load(ordering: .relaxed) > 0 }

    /// Runs a CLI command with Ctrl-C handled as above.
    public static func run(command: @escaping @Sendable () -> String, json: Bool, _ body: @escaping @Sendable () async throws -> Void) async throws {
        // Started with SIGINT ignored (a background job of a script, `nohup`):
        // a Ctrl-C aimed at the parent is not for this run.
        let previous = signal(SIGINT, SIG_IGN)
        func address(_ handler: __sighandler_t?) -> Int? { handler.map { unsafeBitCast($0, to: Int.self) } }
        if address(previous) == address(SIG_IGN) { return try await body() }
        let task = Task { try await body() }
        // A queue of its own, not the global one: on Linux that is Swift's
        // cooperative pool (two threads on two cores), and a command blocked in
        // a question's readLine, or a busy pool, delayed Ctrl-C by seconds.
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: signalQueue)
        source.setEventHandler {
            if prompting.load(ordering: .relaxed) {
                // Nothing is in flight while a question waits: end at once, below the question.
                FileHandle.standardError.write(Data("\n".utf8))
                giveUp(command: command, json: json)
            } else if pressed.add(1, ordering: .relaxed).newValue == 1 {
                task.cancel()
                // A command still writing its output is left to finish it (a
                // large find --json to a slow pipe): cutting it would leave half an object.
                signalQueue.asyncAfter(deadline: .now() + 3) {
                    if output.load(ordering: .relaxed) != 1 && !settling.load(ordering: .relaxed) { giveUp(command: command, json: json) }
                }
            } else {
                giveUp(command: command, json: json)
            }
        }
        source.resume()
        defer {
            source.cancel()
            signal(SIGINT, SIG_DFL)
        }
        do {
            try await task.value
        } catch {
            await settleCancelled()
            throw error
        }
        await settleCancelled()
    }

    /// A request cancelled after it left still runs on the server, which
    /// counts it against the token's limit until it has answered: the
    /// process stays (holding its slot) until that answer has ended, so the
    /// next command does not find a free slot the server still counts. A
    /// second Ctrl-C leaves at once; the slot's lease then keeps the next
    /// process waiting until the API's 60 s limit has passed.
    static func settleCancelled() async {
        let lingering = Lingering.shared
        guard lingering.now > 0 else { return }
        settling.store(true, ordering: .relaxed)
        if await lingering.settled(within: .milliseconds(300)) { return }
        FileHandle.standardError.write(Data("wvconsole: \(CLIText["cli.cancelled_lingers"])\n".utf8))
        _ = await lingering.settled(within: WolkvoxClient.timeLimit)
    }

    /// A line typed at a confirmation question. Ctrl-C there ends the
    /// process at once: nothing has been sent.
    /// `prompt` is written once Ctrl-C already ends the process at once: a
    /// Ctrl-C the moment the question shows never falls into the 3 s grace.
    static func answer(prompt: String = "") -> String? {
        prompting.store(true, ordering: .relaxed)
        defer { prompting.store(false, ordering: .relaxed) }
        if !prompt.isEmpty { FileHandle.standardError.write(Data(prompt.utf8)) }
        return readLine()
    }

    /// Whether the command may write its output: not once the process is
    /// giving up (which writes the one object itself), so a run never
    /// prints two.
    static func mayWriteOutput() -> Bool {
        output.compareExchange(expected: 0, desired: 1, ordering: .relaxed).exchanged || output.load(ordering: .relaxed) == 1
    }

    private static func giveUp(command: @Sendable () -> String, json: Bool) -> Never {
        if json && output.compareExchange(expected: 0, desired: 2, ordering: .relaxed).exchanged {
            // In English, as all of --json.
            let english = Catalog.shared(.en)["cli.interrupted"]
            let failure = JSONOutput.Failure(command: command(), error: JSONOutput.ErrorBody(kind: "interrupted", message: english, status: nil, serverMessage: nil))
            if let data = try? JSONOutput.encoder.encode(failure) { FileHandle.standardOutput.write(JSONOutput.terminalSafe(data) + Data("\n".utf8)) }
        }
        FileHandle.standardError.write(Data("wvconsole: \(CLIText["cli.interrupted"])\n".utf8))
        _exit(exitStatus)
    }
}
