import Foundation
import Simulator
import Testing
import WolkvoxAPI

/// What the CLI says happened: Ctrl-C (as a script or a person at a terminal
/// sends it), elements of an answer that are not records, usage errors in
/// the operator's language.
extension CLIEndToEndTests {
    /// Starts `wvconsole ARGS` in the background (with SIGINT's default
    /// action, as at a terminal: a shell starts background jobs with it
    /// ignored), sends SIGINT once the request is in flight, and returns
    /// what it printed and its status.
    func interrupted(_ rig: Rig, _ args: String, after: String = "1.5", signals: Int = 1) async -> (status: Int32, out: String, err: String) {
        let out = rig.home.appendingPathComponent("out-\(UUID().uuidString)")
        let err = rig.home.appendingPathComponent("err-\(UUID().uuidString)")
        let kills = Array(repeating: "kill -INT $p 2>/dev/null; sleep 0.05;", count: signals).joined(separator: " ")
        let script = "env --default-signal=INT \(Products.path("wvconsole")!) \(args) >\(out.path) 2>\(err.path) & p=$!; sleep \(after); \(kills) wait $p; echo $?"
        let r = await Shell.runAsync(script, environment: rig.env)
        return (
            Int32(r.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1,
            (try? String(contentsOf: out, encoding: .utf8)) ?? "", (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        )
    }

    /// The promise "one JSON object per run" holds for Ctrl-C too: the
    /// request is dropped, the object says it was cancelled, the exit is 130.
    /// The server still works on the stalled search (and counts it), so the
    /// command says it waits for that; a second Ctrl-C leaves at once.
    @Test func ctrlCInAFindEndsWithItsOneObjectAndStatus130() async throws {
        func twice(_ args: String) async throws -> (status: Int32, out: String, err: String) {
            // A simulator each: the first run's stalled search stays at the server.
            let rig = try await Rig.start(faults: "find_record:stall")
            defer { Task { await rig.sim.stop() } }
            let run = try await background(rig, args)
            func err() -> String { (try? String(contentsOfFile: run + "/err", encoding: .utf8)) ?? "" }
            try await wait("the search at the server") { await rig.sim.inFlight() == 1 }
            await Shell.runAsync("kill -INT $(cat \(run)/pid)")
            // The second Ctrl-C once the command says it waits for the server.
            try await wait("the command to say it waits: \(err())") { err().contains("60 s)…") }
            await Shell.runAsync("kill -INT $(cat \(run)/pid)")
            let ended = try await ended(run)
            return (ended.status, (try? String(contentsOfFile: run + "/out", encoding: .utf8)) ?? "", ended.err)
        }
        let started = ContinuousClock.now
        let json = try await twice("find --phone 3001234567 --json")
        #expect(ContinuousClock.now - started < .seconds(45), "the second Ctrl-C ends it at once, not at the 60 s deadline")
        #expect(json.status == 130, "\(json)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any], "one JSON object: \(json.out)")
        #expect(object["ok"] as? Bool == false && object["command"] as? String == "find")
        #expect((object["error"] as? [String: Any])?["kind"] as? String == "cancelled", "\(object)")
        let lines = json.err.split(separator: "\n")
        #expect(
            lines.count == 3 && lines[0].contains("Cancelled") && lines[1].contains("Waiting for the cancelled request")
                && lines[2].contains("interrupted"), "\(json.err)")
        let table = try await twice("--lang es find --phone 3001234567")
        #expect(table.status == 130 && table.out.isEmpty, "\(table)")
        let es = table.err.split(separator: "\n")
        #expect(es.count == 3 && es[0].contains("Cancelado") && es[1].contains("Esperando a que la petición cancelada"), "\(table.err)")
    }

    /// At a confirmation question nothing is in flight: Ctrl-C ends the run
    /// at once (not after the 3 s grace), in the operator's language, and
    /// nothing is sent.
    @Test func ctrlCAtTheDeleteQuestionEndsAtOnceAndSendsNothing() async throws {
        let rig = try await Rig.start()
        let tmux = try TmuxSession(
            command: "\(Products.path("wvconsole")!) --lang es delete --campaign 101 --type preview --ids CC1001", width: 100, height: 12,
            environment: rig.env)
        defer { tmux.close() }
        let asked = await tmux.waitFor("CC1001", timeout: 15)
        #expect(asked.found, "\(asked.screen)")
        try await Task.sleep(for: .milliseconds(300))
        let started = Date()
        tmux.keys("C-c")
        #expect(await tmux.exitStatus(timeout: 10) == 130)
        #expect(Date().timeIntervalSince(started) < 2.5, "at once, not after the 3 s grace")
        #expect(tmux.screen().contains("interrumpido (Ctrl-C)"), "\(tmux.screen())")
        #expect(await rig.calls("remove_record") == 0)
        await rig.sim.stop()
    }

    /// An answer with elements that are not records: the records are shown,
    /// and the operator and the script are told how many were left out.
    @Test func elementsThatAreNotRecordsAreCountedNotHidden() async throws {
        let rig = try await Rig.start(faults: "find_record:strays")
        let json = await rig.run("find --phone 3001234567 --json")
        #expect(json.status == 0, "\(json)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any], "\(json.out)")
        #expect(object["count"] as? Int == 2 && object["unreadable"] as? Int == 3, "\(object)")
        #expect(json.err.contains("3 elements of the answer were not records"), "\(json.err)")
        let table = await rig.run("find --phone 3001234567 --lang es")
        #expect(table.status == 0 && table.out.contains("2 registros."), "\(table.out)")
        #expect(table.err.contains("3 elementos de la respuesta no eran registros"), "\(table.err)")
        await rig.sim.setFaults(try FaultPlan(spec: ""))
        let plain = await rig.run("find --phone 3001234567 --json")
        #expect(plain.out.contains(#""unreadable":0"#) && plain.err.isEmpty, "\(plain)")
        await rig.sim.stop()
    }

    /// A command's own checks of its options speak the operator's language,
    /// as argument-parser's errors and every other message do.
    @Test func usageErrorsFollowTheLanguage() async throws {
        let rig = try await Rig.start()
        for (args, spanish) in [
            ("find", "Indique --phone o --id."),
            ("find --phone 3001234567 --id CC1001", "Indique --phone o --id, no ambos."),
            ("find --phone 3001234567 --csv --json", "Elija solo una de --csv y --json."),
            ("find --phone 3001234567 --bom", "--bom va con --csv."),
            ("audit --since 2026-02-30", "--since debe ser una fecha real, AAAA-MM-DD"),
            ("--config '' check", "--config necesita la ruta de un archivo."),
        ] {
            let r = await rig.run("--lang es \(args)")
            #expect(r.status == 1 && r.err.contains(spanish) && r.err.split(separator: "\n").count == 1, "\(args): \(r.err)")
        }
        // --json is never translated: the object's message is the English one.
        let json = await rig.run("--lang es find --json")
        #expect(json.status == 1 && json.out.contains(#""message":"Give --phone or --id.""#), "\(json.out)")
        #expect(json.err.contains("Indique --phone o --id. (vea --help)"), "\(json.err)")
        #expect(await rig.calls("find_record") == 0)
        await rig.sim.stop()
    }
}
