import Foundation

/// Campaign types the API accepts in `type_campaign`.
public enum CampaignType: String, Sendable, Codable, CaseIterable, Equatable {
    case preview, predictive
}

/// The ten documented values of a record's `result` (also the delete filter).
public enum RecordResult: String, Sendable, Codable, CaseIterable, Equatable {
    case noAnswer = "no-answer"
    case answerMachine = "answer-machine"
    case abandon, busy, congestion, unknown, failed
    case doNotCall = "do-not-call"
    case chanunavail, answer
}

/// One row of `information.php?api=campaigns`; every value arrives as a string.
public struct Campaign: Sendable, Equatable, Codable, Identifiable {
    public var id: String
    public var name: String
    public var description: String
    public var type: String
    public var status: String
    public var records: String
    public var speed: String
    public var dialMode: String
    public var lastUse: String
    public var recycled: String
    public var turboDial: String

    public init(
        id: String, name: String, description: String = "", type: String, status: String,
        records: String = "", speed: String = "", dialMode: String = "", lastUse: String = "",
        recycled: String = "", turboDial: String = ""
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.type = type
        self.status = status
        self.records = records
        self.speed = speed
        self.dialMode = dialMode
        self.lastUse = lastUse
        self.recycled = recycled
        self.turboDial = turboDial
    }

    enum CodingKeys: String, CodingKey {
        case id = "campaign_id", name = "campaign_name", description = "campaign_description"
        case type = "type_campaign", status, records, speed, dialMode = "dial_mode"
        case lastUse = "last_use", recycled, turboDial = "turbo_dial"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = c.lenient(.id)
        name = c.lenient(.name)
        description = c.lenient(.description)
        type = c.lenient(.type)
        status = c.lenient(.status)
        records = c.lenient(.records)
        speed = c.lenient(.speed)
        dialMode = c.lenient(.dialMode)
        lastUse = c.lenient(.lastUse)
        recycled = c.lenient(.recycled)
        turboDial = c.lenient(.turboDial)
    }

    public var campaignType: CampaignType? { CampaignType(rawValue: type.lowercased()) }
    public var isStarted: Bool { status.lowercased() == "started" }
}

/// One row of a find_record answer. Values are kept as the server sent them
/// (strings, possibly blank); display code sanitizes them before drawing.
public struct CustomerRecord: Sendable, Equatable, Codable, Hashable {
    public var customerName: String
    public var customerLastName: String
    public var customerID: String
    public var opts: [String]  // opt1…opt12, always 12 entries
    public var tel1: String
    public var tel2: String
    public var tel3: String
    public var date: String
    public var calls: String
    public var connID: String
    public var result: String
    public var campaignID: String

    public init(
        customerName: String = "", customerLastName: String = "", customerID: String,
        opts: [String] = Array(repeating: "", count: 12), tel1: String = "", tel2: String = "",
        tel3: String = "", date: String = "", calls: String = "", connID: String = "",
        result: String = "", campaignID: String = ""
    ) {
        self.customerName = customerName
        self.customerLastName = customerLastName
        self.customerID = customerID
        self.opts = opts.count == 12 ? opts : Array((opts + Array(repeating: "", count: 12)).prefix(12))
        self.tel1 = tel1
        self.tel2 = tel2
        self.tel3 = tel3
        self.date = date
        self.calls = calls
        self.connID = connID
        self.result = result
        self.campaignID = campaignID
    }

    public var fullName: String {
        let first = !Self.isBlank(customerName)
        let last = !Self.isBlank(customerLastName)
        if first && last { return customerName + " " + customerLastName }
        return first ? customerName : (last ? customerLastName : "")
    }

    public var phones: [String] {
        [tel1, tel2, tel3].filter { !Self.isBlank($0) }
    }

    /// Empty or only whitespace. (Foundation's trimmingCharacters bridged
    /// through NSString and was a tenth of a 60,000-row table's time.)
    /// (A text that starts with a visible ASCII character, nearly every one, is decided by that byte.)
    static func isBlank(_ s: String) -> Bool {
        if let b = s.utf8.first, b > 0x20, b < 0x7F { return false }
        return !s.unicodeScalars.contains { !$0.properties.isWhitespace }
    }

    /// The record's identity within the service: the same customer ID may exist in several campaigns.
    public var key: RecordKey { RecordKey(campaignID: campaignID, customerID: customerID) }

    static let optKeys: [String] = (1...12).map { "opt\($0)" }

    private struct DynamicKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: DynamicKey.self)
        func v(_ key: String) -> String { c.lenient(DynamicKey(key)) }
        customerName = v("customer_name")
        customerLastName = v("customer_last_name")
        customerID = v("customer_id")
        opts = Self.optKeys.map(v)
        tel1 = v("tel1")
        tel2 = v("tel2")
        tel3 = v("tel3")
        date = v("date")
        calls = v("calls")
        connID = v("conn_id")
        result = v("result")
        campaignID = v("campaign_id")
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: DynamicKey.self)
        try c.encode(customerName, forKey: DynamicKey("customer_name"))
        try c.encode(customerLastName, forKey: DynamicKey("customer_last_name"))
        try c.encode(customerID, forKey: DynamicKey("customer_id"))
        for (i, key) in Self.optKeys.enumerated() { try c.encode(opts[i], forKey: DynamicKey(key)) }
        try c.encode(tel1, forKey: DynamicKey("tel1"))
        try c.encode(tel2, forKey: DynamicKey("tel2"))
        try c.encode(tel3, forKey: DynamicKey("tel3"))
        try c.encode(date, forKey: DynamicKey("date"))
        try c.encode(calls, forKey: DynamicKey("calls"))
        try c.encode(connID, forKey: DynamicKey("conn_id"))
        try c.encode(result, forKey: DynamicKey("result"))
        try c.encode(campaignID, forKey: DynamicKey("campaign_id"))
    }
}

public struct RecordKey: Sendable, Hashable, Codable {
    public var campaignID: String
    public var customerID: String
    public init(campaignID: String, customerID: String) {
        self.campaignID = campaignID
        self.customerID = customerID
    }
}

/// add_dnc's totals; blanks stay nil rather than pretending to be zero.
public struct DNCTotals: Sendable, Equatable, Codable {
    public var added: Int?
    public var rejected: Int?
    public var sent: Int?

    public init(added: Int?, rejected: Int?, sent: Int?) {
        self.added = added
        self.rejected = rejected
        self.sent = sent
    }

    enum CodingKeys: String, CodingKey {
        case added = "total_added", rejected = "total_rejected", sent = "total_sent"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        added = c.lenientInt(.added)
        rejected = c.lenientInt(.rejected)
        sent = c.lenientInt(.sent)
    }

    public static func + (a: DNCTotals, b: DNCTotals) -> DNCTotals {
        func sum(_ x: Int?, _ y: Int?) -> Int? { x == nil && y == nil ? nil : (x ?? 0) + (y ?? 0) }
        return DNCTotals(added: sum(a.added, b.added), rejected: sum(a.rejected, b.rejected), sent: sum(a.sent, b.sent))
    }
}

/// add_record's `total_registers`.
struct RegisterTotals: Decodable, Sendable {
    var total: Int?
    enum CodingKeys: String, CodingKey { case total = "total_registers" }
    init(from decoder: Decoder) throws {
        total = try decoder.container(keyedBy: CodingKeys.self).lenientInt(.total)
    }
}

/// `information.php?api=token_info`: the vendor's own quota figures.
public struct TokenInfo: Sendable, Equatable, Codable {
    public var description: String
    public var tokenLimit: Int?
    public var tokenUseToday: Int?
    public var allTokenToday: Int?
    public var availableConsumption: String

    enum CodingKeys: String, CodingKey {
        case description, tokenLimit = "token_limit", tokenUseToday = "token_use_today"
        case allTokenToday = "all_token_today", availableConsumption = "available_consumption_options"
    }
}

/// Only ever decoded (tests build one with the memberwise initializer the
/// extension leaves in place).
extension TokenInfo {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        description = c.lenient(.description)
        tokenLimit = c.lenientInt(.tokenLimit)
        tokenUseToday = c.lenientInt(.tokenUseToday)
        allTokenToday = c.lenientInt(.allTokenToday)
        availableConsumption = c.lenient(.availableConsumption)
    }
}
