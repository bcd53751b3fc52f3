import WolkvoxAPI

/// A campaign as the simulator holds it.
public struct SimCampaign: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var type: CampaignType
    public var status: String
    public var description: String
}

/// A record as the simulator holds it: what find_record returns, plus the
/// recall the API can set but does not return (visible in `/_sim/state`).
public struct SimRecord: Sendable, Equatable, Codable {
    public var seq: Int
    public var record: CustomerRecord
    public var recallDate: String?
    public var recallPhone: String?
    /// add_record fields that find_record does not return, kept for inspection.
    public var extra: [String: String]?
}

/// One request as `/_sim/requests` shows it; the token value is never kept.
public struct RecordedRequest: Sendable, Equatable, Codable {
    public var method: String
    public var path: String
    public var query: String
    public var headers: [String: String]
    public var body: String
    public var bodyBytes: Int
    public var status: Int
}

/// Summary for `/_sim/state`.
public struct SimulatorStateSnapshot: Sendable, Equatable, Codable {
    public var campaigns: [Entry]
    public var totalRecords: Int
    public var dnc: [String: Int]
    public var callsToday: Int
    public var peakInFlight: Int
    public var rejectedForConcurrency: Int
    public var requestCount: Int
    /// add_record rows whose (campaign, customer_id) already existed: a blind retry shows up here.
    public var duplicatesReceived: Int

    public struct Entry: Sendable, Equatable, Codable {
        public var id: String
        public var name: String
        public var type: String
        public var status: String
        public var records: Int
    }
}

/// A paced answer (the trickle fault): how far it got, and whether the
/// client hung up before the end.
public struct SimTransfer: Sendable, Equatable {
    public enum State: Sendable, Equatable { case sending, finished, clientClosed }
    public var api: String
    public var totalBytes: Int
    public var sentBytes: Int
    public var state: State
}
