import Foundation

/// The `api=` values, and which PHP family serves each.
public enum APIName: String, Sendable, Codable, CaseIterable {
    case campaigns
    case tokenInfo = "token_info"
    case findRecord = "find_record"
    case recall
    case removeRecord = "remove_record"
    case addDNC = "add_dnc"
    case addRecord = "add_record"

    public var script: String {
        switch self {
        case .campaigns, .tokenInfo: "information.php"
        default: "campaign.php"
        }
    }

    public var method: HTTPMethod {
        switch self {
        case .campaigns, .tokenInfo, .findRecord: .GET
        case .recall: .PUT
        case .removeRecord: .DELETE
        case .addDNC, .addRecord: .POST
        }
    }

    /// Mutating calls are journaled first, refused in read-only mode and never retried blindly.
    public var isMutating: Bool { method != .GET }
}

/// find_record: by phone, by ID or both; one campaign (`campaignID`) or all (nil).
public struct FindQuery: Sendable, Equatable, Hashable, Codable {
    public var phone: String?
    public var customerID: String?
    public var campaignID: String?

    public init(phone: String? = nil, customerID: String? = nil, campaignID: String? = nil) {
        self.phone = phone
        self.customerID = customerID
        self.campaignID = campaignID
    }

    /// Validates and normalises; at least one of phone or ID is required.
    public func validated(countryCode: String? = nil) throws -> FindQuery {
        let p = try phone.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : try Validate.phone($0, countryCode: countryCode) }
        let id = try customerID.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : try Validate.customerID($0) }
        guard p != nil || id != nil else { throw ValidationError(.phone, "Type a phone number or a customer ID to search.") }
        let c = try campaignID.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : try Validate.campaignID($0) }
        return FindQuery(phone: p, customerID: id, campaignID: c)
    }
}

/// recall: reschedule one record's next dial.
public struct RecallOrder: Sendable, Equatable, Codable {
    public var campaignID: String
    public var campaignType: CampaignType
    public var customerID: String
    public var phone: String
    public var when: Date

    public init(campaignID: String, campaignType: CampaignType, customerID: String, phone: String, when: Date) {
        self.campaignID = campaignID
        self.campaignType = campaignType
        self.customerID = customerID
        self.phone = phone
        self.when = when
    }
}

/// remove_record: irreversible deletion of one or many IDs, optionally only those with `result`.
public struct RemovalOrder: Sendable, Equatable, Codable {
    public var campaignID: String
    public var campaignType: CampaignType
    public var customerIDs: [String]
    public var onlyResult: RecordResult?

    public init(campaignID: String, campaignType: CampaignType, customerIDs: [String], onlyResult: RecordResult? = nil) {
        self.campaignID = campaignID
        self.campaignType = campaignType
        self.customerIDs = customerIDs
        self.onlyResult = onlyResult
    }
}

/// One number to block, for `days` days.
public struct DNCEntry: Sendable, Equatable, Codable {
    public var telephone: String
    public var days: Int
    public init(telephone: String, days: Int) {
        self.telephone = telephone
        self.days = days
    }
}

/// One record for add_record; every field is a string, empty allowed.
public struct NewRecord: Sendable, Equatable, Codable {
    public static let fieldNames: [String] =
        [
            "customer_name", "customer_last_name", "id_type", "customer_id", "age", "gender", "country",
            "state", "city", "zone", "address",
        ] + (1...12).map { "opt\($0)" } + (1...10).map { "tel\($0)" } + ["tel_extra", "email", "recall_date", "recall_telephone"]

    public var fields: [String: String]

    public init(fields: [String: String] = [:]) { self.fields = fields }

    public subscript(_ name: String) -> String {
        get { fields[name] ?? "" }
        set { fields[name] = newValue }
    }

    /// Every documented field in documented order (the sample body sends tel2…tel10 too).
    func orderedPairs() -> [(String, String)] {
        Self.fieldNames.map { ($0, fields[$0] ?? "") }
    }
}

/// add_record: a chunk (≤ 10,000) of records for one campaign.
public struct AddRecordBatch: Sendable, Equatable, Codable {
    public var campaignID: String
    public var campaignStatus: String
    public var records: [NewRecord]
    public init(campaignID: String, campaignStatus: String, records: [NewRecord]) {
        self.campaignID = campaignID
        self.campaignStatus = campaignStatus
        self.records = records
    }
}

/// Every call the contract defines, as a value: built into an HTTP request by
/// `RequestBuilder`, journaled by `MutationJournal` when it mutates.
public enum APICall: Sendable, Equatable {
    case campaigns
    case tokenInfo
    case findRecord(FindQuery)
    case recall(RecallOrder)
    case removeRecord(RemovalOrder)
    case addDNC([DNCEntry])
    case addRecord(AddRecordBatch)

    public var api: APIName {
        switch self {
        case .campaigns: .campaigns
        case .tokenInfo: .tokenInfo
        case .findRecord: .findRecord
        case .recall: .recall
        case .removeRecord: .removeRecord
        case .addDNC: .addDNC
        case .addRecord: .addRecord
        }
    }

    public var campaignID: String? {
        switch self {
        case .findRecord(let q): q.campaignID
        case .recall(let o): o.campaignID
        case .removeRecord(let o): o.campaignID
        case .addRecord(let b): b.campaignID
        default: nil
        }
    }

    /// How many items the call carries (records, numbers, IDs), for journals and progress.
    public var itemCount: Int {
        switch self {
        case .campaigns, .tokenInfo, .findRecord, .recall: 1
        case .removeRecord(let o): o.customerIDs.count
        case .addDNC(let e): e.count
        case .addRecord(let b): b.records.count
        }
    }
}
