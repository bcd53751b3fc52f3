import Foundation
import Logging

/// The one path every request takes: read retry, write journaling, the
/// permit, the deadline, decoding and the log line.
extension WolkvoxClient {
    func read<Row>(_ call: APICall, as: Row.Type) async throws -> Envelope<Row> {
        do {
            return try await exchange(call, as: Row.self)
        } catch APIError.simultaneousLimit {
            // Reads may retry once after a short back-off; writes never retry automatically.
            try? await Task.sleep(for: readRetryDelay)
            return try await exchange(call, as: Row.self)
        }
    }

    /// `assess` turns a successful answer into the journal's verdict when the
    /// status alone does not tell (a delete that deleted nothing is a 202 too).
    func write<Row>(
        _ call: APICall, chunk: JobChunk?, as: Row.Type,
        assess: ((Envelope<Row>) -> (MutationOutcome.State, [String: String]))? = nil
    ) async throws -> (Envelope<Row>, Int64, Bool) {
        if readOnly { throw APIError.readOnly }
        let request = try buildRequest(call)
        let intent = MutationIntent(
            api: call.api, server: endpoint.server, campaignID: call.campaignID,
            method: request.method, url: request.url.absoluteString, body: request.bodyText,
            itemCount: call.itemCount, jobID: chunk?.jobID, chunkIndex: chunk?.index, chunkCount: chunk?.count)
        // Cancelled before anything was journaled (Ctrl-C between two chunks): nothing to record.
        if Task.isCancelled { throw APIError.notSent(.cancelled) }
        let journal = self.journal
        let id: Int64
        do {
            id = try await Self.uncancelled { try await journal.recordIntent(intent) }
        } catch {
            throw APIError.journalUnavailable(String(describing: error))
        }
        let mark = SendMark()
        do {
            let (envelope, status) = try await exchangeWithStatus(call, prebuilt: request, mark: mark, as: Row.self)
            // A 2xx is a confirmation only with a 2xx `code` and no `error`:
            // `{}`, a missing or garbage code, or an error beside the 2xx may
            // or may not have been applied, so it is recorded unknown.
            if envelope.code == nil || envelope.error != nil {
                let missing = envelope.code == nil ? "no valid code in the answer" : "the answer carries an error: \(envelope.error ?? "")"
                let detail = ErrorDetail(
                    status: status, code: envelope.code,
                    serverMessage: TerminalText.sanitize(envelope.msg.isEmpty ? missing : "\(missing) · \(envelope.msg)", limit: 200))
                throw APIError.unconfirmedAnswer(detail)
            }
            var state = MutationOutcome.State.succeeded
            var totals = (envelope.data.first as? JournalTotals)?.journalTotals ?? [:]
            if let assess { (state, totals) = assess(envelope) }
            // The answer is in; if its outcome cannot be written (disk full),
            // the caller must say so rather than report a clean "ok".
            let outcome = MutationOutcome(
                state: state, status: status, code: envelope.code, message: TerminalText.sanitize(envelope.msg, limit: 500), totals: totals)
            let recorded = (try? await Self.uncancelled { try await journal.recordOutcome(id, outcome) }) != nil
            if !recorded {
                logger?.error("answer received but its outcome could not be journaled", metadata: ["api": "\(call.api.rawValue)", "journal_id": "\(id)"])
            }
            return (envelope, id, recorded)
        } catch let error as APIError {
            let d = error.detail
            // The request never left this machine (cancelled while waiting
            // for a free slot or connecting, a refused connection, a proxy's
            // refusal): it is known not applied, journaled "not sent", and a
            // resume may send it again without asking.
            let neverSent = !mark.sent || error.wasNotSent
            let thrown = neverSent && !error.requestWasRejected ? APIError.notSent(error) : error
            let outcome = MutationOutcome(
                state: thrown.requestWasRejected ? .rejected : .unknown, status: d?.status, code: d?.code,
                message: thrown.wasNotSent ? "not sent: \(thrown.underlying.description)" : thrown.description)
            try? await Self.uncancelled { try await journal.recordOutcome(id, outcome) }
            throw thrown
        }
    }

    /// A journal write that completes even when the calling task is
    /// cancelled (Ctrl-C, Esc): GRDB and the PostgreSQL store end at once in
    /// a cancelled task, and a change's intent and outcome must be written
    /// whatever happens to the caller.
    static func uncancelled<T: Sendable>(_ write: @escaping @Sendable () async throws -> T) async throws -> T {
        try await Task { try await write() }.value
    }

    func buildRequest(_ call: APICall) throws -> HTTPRequest {
        do { return try builder.request(for: call, timeZone: timeZone) } catch let v as ValidationError { throw APIError.invalidInput(v) }
    }

    func exchange<Row>(_ call: APICall, prebuilt: HTTPRequest? = nil, as: Row.Type) async throws -> Envelope<Row> {
        try await exchangeWithStatus(call, prebuilt: prebuilt, mark: SendMark(), as: Row.self).0
    }

    /// The answer and its HTTP status; `mark` records whether the request
    /// actually left (false while it was still waiting for a permit).
    func exchangeWithStatus<Row>(_ call: APICall, prebuilt: HTTPRequest? = nil, mark: SendMark, as: Row.Type) async throws -> (Envelope<Row>, Int) {
        let started = ContinuousClock.now
        let timing = CallTiming()
        do {
            let (envelope, status) = try await exchangeTimed(call, prebuilt: prebuilt, mark: mark, timing: timing, as: Row.self)
            log(call, started: started, timing: timing, status: status, code: envelope.code, failure: nil)
            return (envelope, status)
        } catch {
            let api = error as? APIError
            log(call, started: started, timing: timing, status: api?.detail?.status, code: api?.detail?.code, failure: api?.kind ?? "error")
            throw error
        }
    }

    /// One line per API call at info: what was called and how it went —
    /// never the token, never a record's personal fields (so no phone or
    /// customer ID: the campaign is the only value from the request).
    func log(_ call: APICall, started: ContinuousClock.Instant, timing: CallTiming, status: Int?, code: Int?, failure: String?) {
        guard let logger else { return }
        let total = ContinuousClock.now - started
        let (waited, bytes) = timing.read(started: started)
        var meta: Logger.Metadata = [
            "api": "\(call.api.rawValue)", "method": "\(call.api.method.rawValue)", "server": "\(endpoint.server)",
            "ms": "\(Int(total.seconds * 1000))", "wait_ms": "\(Int(waited.seconds * 1000))", "bytes": "\(bytes)",
            "token": "\(tokenFingerprint)",
        ]
        if let c = call.campaignID { meta["campaign"] = "\(TerminalText.sanitize(c, limit: 40))" }
        if let status { meta["status"] = "\(status)" }
        if let code { meta["code"] = "\(code)" }
        if call.api.method != .GET { meta["items"] = "\(call.itemCount)" }
        if let failure {
            meta["error"] = "\(failure)"
            logger.warning("api call failed", metadata: meta)
        } else {
            logger.info("api call", metadata: meta)
        }
    }

    func exchangeTimed<Row>(_ call: APICall, prebuilt: HTTPRequest?, mark: SendMark, timing: CallTiming, as: Row.Type) async throws -> (
        Envelope<Row>, Int
    ) {
        let request = try prebuilt ?? buildRequest(call)
        let response: HTTPResponse
        do {
            response = try await permittedSend(request, mark: mark, timing: timing)
        } catch let failure as TransportFailure {
            if case .beforeSending = failure { mark.markNotSent() }
            throw apiError(failure)
        } catch is CancellationError {
            throw APIError.cancelled
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.network(String(describing: error))
        }
        // The one door server text comes in by: a server (or proxy) that
        // echoes the request's headers must not put the token on screen, in
        // --json, in logs or in the journal, so it becomes its fingerprint
        // here, in the raw bytes (no excerpt can keep half of it) and again in
        // the decoded texts (escaped forms such as \u0074).
        timing.received(response.body.count)
        let token = builder.token
        let (body, tokenHits) = token.redactCounting(response.body)
        var clean = HTTPResponse(status: response.status, body: body, redirectLocation: response.redirectLocation.map(token.redact))
        // Records decoded while the body arrived stand only if the raw bytes
        // held no token (else they are read again from the redacted bytes).
        if tokenHits == 0 { clean.prescanned = response.prescanned }
        // A change counts as confirmed only on an answer written as the API
        // writes it; a 2xx that is not (a duplicate key, a code spelled
        // "0202" or 2.02e2, an error that is not null, invalid JSON) may or
        // may not have been applied.
        if call.api.method != .GET, (200..<300).contains(response.status), let why = StrictAnswer.problem(clean.body) {
            throw APIError.unconfirmedAnswer(
                ErrorDetail(status: response.status, serverMessage: why, excerpt: TerminalText.sanitize(String(decoding: clean.body.prefix(200), as: UTF8.self), limit: 200)))
        }
        do {
            var envelope = try ResponseInterpreter.decode(clean, as: Row.self, read: call.api.method == .GET)
            envelope.redactEchoes(token)
            return (envelope, response.status)
        } catch let error as APIError {
            throw error.redacting(token)
        }
    }

    /// `request` sent holding a permit. The exchange runs in a task of its
    /// own: a caller cancelled before the request left stops it (nothing was
    /// sent, the permit goes back); a caller cancelled after it left is
    /// answered `CancellationError` at once, while the exchange runs on,
    /// holding its permit, until the answer has ended (read and dropped) —
    /// the server counts the request until then — or, when this client's
    /// own deadline cut it short, until the API's 60 s limit has passed.
    func permittedSend(_ request: HTTPRequest, mark: SendMark, timing: CallTiming) async throws -> HTTPResponse {
        let gate = self.gate
        let meter = self.meter
        let server = endpoint.server
        let fingerprint = tokenFingerprint
        let tracksHead = transport.reportsRequestHead
        let lingering = Lingering.shared
        let race = SendRace()
        let client = self
        let wait = lingering.waitBegins()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, Error>) in
                race.install(continuation)
                let task = Task {
                    do {
                        try await gate.withPermit {
                            wait?.end()
                            guard race.permit() else { throw CancellationError() }
                            timing.permitted()
                            mark.markSent()
                            await meter?.countCall(server: server, tokenFingerprint: fingerprint)
                            let sentAt = ContinuousClock.now
                            do {
                                let response = try await HeadMark.$current.withValue(race.headWritten) { try await client.sendWithDeadline(request) }
                                race.finish(.success(response))
                            } catch {
                                race.finish(.failure(error))
                                // Our deadline came before the API's: the server may
                                // still be working on it, and counts it until then.
                                if case TransportFailure.timedOut = error, client.timeout < WolkvoxClient.timeLimit, !race.headWritten.answerBegan {
                                    try? await Task.sleep(until: sentAt + WolkvoxClient.timeLimit, clock: .continuous)
                                }
                            }
                        }
                    } catch {
                        wait?.end()
                        race.finish(.failure(error))
                    }
                    if race.wasAbandoned {
                        lingering.end()
                        client.logger?.info("a cancelled request ended on the server; its slot is free", metadata: ["token": "\(fingerprint)"])
                    }
                }
                race.start(task)
            }
        } onCancel: {
            race.cancel(lingering: lingering, tracksHead: tracksHead)
        }
    }

    /// A transport's failure as the error callers see, its text free of the token.
    func apiError(_ failure: TransportFailure) -> APIError {
        switch failure {
        case .timedOut: .timeout(seconds: max(1, Int(timeout.seconds.rounded(.up))))
        case .cancelled: .cancelled
        case .connection(let message): .network(builder.token.redact(message))
        case .connectionLost(let message): .connectionLost(builder.token.redact(message))
        case .tooLarge(let limit): .answerTooLarge(limitBytes: limit)
        // Reads are not journaled: whether a read left matters to no one, and
        // `write` wraps its own error in `notSent` from the send mark.
        case .beforeSending(let inner): apiError(inner)
        }
    }

    /// The service kills requests at 60 s; we stop waiting at the same moment even
    /// if the transport's own idle timer would wait longer on a trickling body.
    func sendWithDeadline(_ request: HTTPRequest) async throws -> HTTPResponse {
        let transport = self.transport
        let timeout = self.timeout
        // One clock decides: a transport that keeps the deadline on its event
        // loop is not raced by a second timer on the (possibly busy) pool.
        if transport.enforcesDeadline { return try await transport.send(request, timeout: timeout) }
        return try await withThrowingTaskGroup(of: HTTPResponse.self) { group in
            group.addTask { try await transport.send(request, timeout: timeout) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw TransportFailure.timedOut
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw TransportFailure.timedOut }
            return first
        }
    }
}
