import Foundation
import Hummingbird
import NIOCore
import WolkvoxAPI

/// Adapts Hummingbird requests to the simulator core and applies the
/// connection-level faults (latency, stall, reset).
enum SimulatorHTTP {
    static func respond(_ request: Request, context: SimContext, core: SimulatorCore) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 256 * 1024 * 1024)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        var query: [String: String] = [:]
        for (k, v) in request.uri.queryParameters { query[String(k)] = String(v) }
        let sim = SimRequest(
            method: request.method.rawValue, path: request.uri.path, rawQuery: request.uri.query ?? "",
            query: query, headers: headers, body: Data(buffer: body))

        if sim.path.hasPrefix("/_sim/") {
            guard isLoopback(context.channel.remoteAddress) else { return make(SimResponse(status: 403, body: Data("loopback only\n".utf8))) }
            return make(await SimulatorAdmin.handle(sim, core: core))
        }
        guard sim.path == "/api/v2/campaign.php" || sim.path == "/api/v2/information.php" else {
            return make(SimResponse(status: 404, body: WireFormat.error(404, "NOT FOUND")))
        }
        // The service counts requests in flight per token; a third one is refused.
        let token = headers[WolkvoxHeader.token] ?? ""
        let counted = !token.isEmpty
        if counted {
            guard await core.enter(token: token) else {
                let refused = SimResponse(status: 403, body: WireFormat.error(403, "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)"))
                await core.recordRequest(sim, status: refused.status)
                return make(refused)
            }
        }
        let response = await core.handle(sim)
        await core.recordRequest(sim, status: response.reset ? 0 : response.status)
        do {
            if response.delayMilliseconds > 0 { try await Task.sleep(for: .milliseconds(response.delayMilliseconds)) }
            if response.stall { try await Task.sleep(for: .seconds(65)) }
        } catch {
            if counted { await core.leave(token: token) }
            throw error
        }
        if counted { await core.leave(token: token) }
        if response.reset {
            // Promise a body, send part of it, then drop the connection: the
            // client sees the connection lost mid-answer, as with a real reset.
            var headers = HTTPFields()
            headers[.contentType] = response.contentType
            let partial = ByteBuffer(bytes: response.body.prefix(8))
            let channel = context.channel
            return Response(
                status: .init(code: response.status), headers: headers,
                body: ResponseBody(contentLength: response.body.count + 64) { writer in
                    try await writer.write(partial)
                    try await channel.close()
                    throw ConnectionReset()
                })
        }
        if response.trickleBytesPerSecond > 0 || response.contentEncoding != nil {
            return streamed(response, api: sim.query["api"] ?? "", core: core)
        }
        return make(response)
    }

    struct ConnectionReset: Error {}

    /// The answer in slices — every 100 ms under the trickle fault, as fast as
    /// the client reads a gzip bomb — recording how much went out and whether
    /// the client closed the connection first (`transfers()`).
    static func streamed(_ response: SimResponse, api: String, core: SimulatorCore) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = response.contentType
        if let encoding = response.contentEncoding { headers[.contentEncoding] = encoding }
        let body = response.body
        let paced = response.trickleBytesPerSecond > 0
        let slice = paced ? max(1, response.trickleBytesPerSecond / 10) : 65_536
        return Response(
            status: .init(code: response.status), headers: headers,
            body: ResponseBody(contentLength: body.count) { writer in
                let id = await core.beginTransfer(api: api, total: body.count)
                var sent = 0
                do {
                    while sent < body.count {
                        let end = min(body.count, sent + slice)
                        try await writer.write(ByteBuffer(bytes: body[sent..<end]))
                        sent = end
                        await core.progress(id, sent: sent, state: .sending)
                        if paced, sent < body.count { try await Task.sleep(for: .milliseconds(100)) }
                    }
                    try await writer.finish(nil)
                    await core.progress(id, sent: sent, state: .finished)
                } catch {
                    await core.progress(id, sent: sent, state: .clientClosed)
                    throw error
                }
            })
    }

    static func make(_ r: SimResponse) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = r.contentType
        if let location = r.location { headers[.location] = location }
        if let encoding = r.contentEncoding { headers[.contentEncoding] = encoding }
        return Response(status: .init(code: r.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: r.body)))
    }

    static func isLoopback(_ address: SocketAddress?) -> Bool {
        guard let ip = address?.ipAddress else { return false }
        return ip.hasPrefix("127.") || ip == "::1" || ip == "::ffff:127.0.0.1"
    }
}

/// `/_sim/*`: inspection and fault control for tests and training, loopback only.
enum SimulatorAdmin {
    static func handle(_ req: SimRequest, core: SimulatorCore) async -> SimResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        func json<T: Encodable>(_ v: T) -> SimResponse { SimResponse(status: 200, body: (try? encoder.encode(v)) ?? Data("{}".utf8)) }
        switch (req.method, req.path) {
        case ("GET", "/_sim/requests"): return json(await core.requests())
        case ("DELETE", "/_sim/requests"):
            await core.clearRequests()
            return json(["ok": true])
        case ("GET", "/_sim/state"): return json(await core.snapshot())
        case ("GET", "/_sim/record"):
            guard let r = await core.record(campaignID: req.query["campaign_id"] ?? "", customerID: req.query["customer_id"] ?? "") else {
                return SimResponse(status: 404, body: Data(#"{"error":"no such record"}"#.utf8))
            }
            return json(r)
        case ("GET", "/_sim/faults"): return SimResponse(status: 200, contentType: "text/plain", body: Data(await core.currentFaults().description.utf8))
        case ("PUT", "/_sim/faults"), ("POST", "/_sim/faults"):
            do {
                let plan = try FaultPlan(spec: String(decoding: req.body, as: UTF8.self))
                await core.setFaults(plan)
                return SimResponse(status: 200, contentType: "text/plain", body: Data(plan.description.utf8))
            } catch {
                return SimResponse(status: 400, contentType: "text/plain", body: Data("\(error)\n".utf8))
            }
        default: return SimResponse(status: 404, body: Data(#"{"error":"unknown admin route"}"#.utf8))
        }
    }
}
