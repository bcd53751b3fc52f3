import Foundation
import WolkvoxAPI

/// The five campaign endpoints' behaviour on the simulated data.
extension SimulatorCore {
    func findRecord(_ req: SimRequest) -> SimResponse {
        guard req.query["campaign_id"] != nil || req.query["customer_phone"] != nil || req.query["customer_id"] != nil else { return Self.missing() }
        let campaign = (req.query["campaign_id"] ?? "").trimmingCharacters(in: .whitespaces)
        let phone = Self.digits(req.query["customer_phone"] ?? "")
        let id = (req.query["customer_id"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !phone.isEmpty || !id.isEmpty else { return Self.missing() }
        var keys: Set<RecordKey>
        if !phone.isEmpty {
            keys = phoneIndex[phone] ?? []
            if !id.isEmpty { keys = keys.filter { $0.customerID == id } }
        } else {
            keys = idIndex[id] ?? []
        }
        if !campaign.isEmpty { keys = keys.filter { $0.campaignID == campaign } }
        let rows = keys.compactMap { records[$0] }.sorted { $0.seq < $1.seq }.prefix(WolkvoxClient.maxRecordsPerDownload).map(\.record)
        return SimResponse(
            status: 200,
            body: WireFormat.envelope(
                code: .string(200), msg: "\(rows.count) records were found",
                data: WireFormat.records(Array(rows))))
    }

    func recall(_ req: SimRequest) -> SimResponse {
        guard let type = req.query["type_campaign"], CampaignType(rawValue: type) != nil,
            let campaign = req.query["campaign_id"], !campaign.isEmpty,
            let body = try? JSONSerialization.jsonObject(with: req.body) as? [String: Any],
            let date = body["recall_date"] as? String, date.count == 14, date.allSatisfy(\.isNumber),
            let phone = body["recall_telephone"] as? String, !Self.digits(phone).isEmpty,
            let id = body["customer_id"] as? String, !id.isEmpty
        else { return Self.missing() }
        guard var rec = record(campaignID: campaign, customerID: id) else {
            return SimResponse(status: 400, body: WireFormat.error(400, "THE CUSTOMER_ID \(id) DOES NOT EXIST IN CAMPAIGN \(campaign)"))
        }
        rec.recallDate = date
        rec.recallPhone = phone
        insert(rec)
        return SimResponse(
            status: 202,
            body: WireFormat.envelope(
                code: .number(202), msg: "customer_id \(id) has been updated and will be call back on \(date) to phone \(phone)"))
    }

    func removeRecord(_ req: SimRequest) -> SimResponse {
        guard let type = req.query["type_campaign"], CampaignType(rawValue: type) != nil,
            let campaign = req.query["campaign_id"], !campaign.isEmpty,
            let body = try? JSONSerialization.jsonObject(with: req.body) as? [String: Any],
            let list = body["customer_id"] as? String
        else { return Self.missing() }
        var filter: String?
        if let r = req.query["result"], !r.isEmpty {
            guard RecordResult(rawValue: r) != nil else { return Self.missing() }
            filter = r
        }
        let ids = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !ids.isEmpty else { return Self.missing() }
        var deleted: [String] = [], skipped: [String] = []
        for id in ids {
            if let rec = record(campaignID: campaign, customerID: id), filter == nil || rec.record.result == filter {
                delete(rec.record.key)
                deleted.append(id)
            } else {
                skipped.append(id)
            }
        }
        let msg: String
        if deleted.isEmpty {
            msg = "customer_id \(skipped.joined(separator: ",")) was not found; nothing was deleted"
        } else {
            msg =
                "customer_id \(deleted.joined(separator: ",")) has been deleted successfully"
                + (skipped.isEmpty ? "" : "; not found or result did not match: \(skipped.joined(separator: ","))")
        }
        return SimResponse(status: 202, body: WireFormat.envelope(code: .number(202), msg: msg))
    }

    func addDNC(_ req: SimRequest) -> SimResponse {
        guard let items = try? JSONSerialization.jsonObject(with: req.body) as? [Any], !items.isEmpty else { return Self.missing() }
        guard items.count <= WolkvoxClient.maxRecordsPerUpload else {
            return SimResponse(status: 400, body: WireFormat.error(400, "THE MAXIMUM NUMBER OF RECORDS PER REQUEST IS 10000"))
        }
        var added = 0, rejected = 0
        for item in items {
            let obj = item as? [String: Any]
            let phone = Self.digits("\(obj?["telephone"] ?? "")")
            let days = Int("\(obj?["days_block"] ?? "")".trimmingCharacters(in: .whitespaces)) ?? 0
            if (5...15).contains(phone.count), (1...3650).contains(days) {
                dnc[phone] = days
                added += 1
            } else {
                rejected += 1
            }
        }
        let data =
            "["
            + WireFormat.object([
                ("total_added", String(added)), ("total_rejected", String(rejected)),
                ("total_sent", String(items.count)),
            ]) + "]"
        return SimResponse(status: 201, body: WireFormat.envelope(code: .number(201), msg: "\(added) telephones were added", data: data))
    }

    func addRecord(_ req: SimRequest) -> SimResponse {
        guard let type = req.query["type_campaign"], CampaignType(rawValue: type) != nil,
            let campaign = req.query["campaign_id"], !campaign.isEmpty,
            let status = req.query["campaign_status"], !status.isEmpty,
            let items = try? JSONSerialization.jsonObject(with: req.body) as? [Any], !items.isEmpty
        else { return Self.missing() }
        guard items.count <= WolkvoxClient.maxRecordsPerUpload else {
            return SimResponse(status: 400, body: WireFormat.error(400, "THE MAXIMUM NUMBER OF RECORDS PER REQUEST IS 10000"))
        }
        guard campaigns.contains(where: { $0.id == campaign }) else {
            return SimResponse(status: 400, body: WireFormat.error(400, "THE CAMPAIGN \(campaign) DOES NOT EXIST"))
        }
        var count = 0
        for item in items {
            guard let obj = item as? [String: Any] else { continue }
            var fields: [String: String] = [:]
            for (k, v) in obj { fields[k] = "\(v)" }
            var r = CustomerRecord(
                customerID: fields["customer_id"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } ?? "AUTO-\(nextSeq)")
            r.customerName = fields["customer_name"] ?? ""
            r.customerLastName = fields["customer_last_name"] ?? ""
            for n in 1...12 { r.opts[n - 1] = fields["opt\(n)"] ?? "" }
            r.tel1 = Self.digits(fields["tel1"] ?? "")
            r.tel2 = Self.digits(fields["tel2"] ?? "")
            r.tel3 = Self.digits(fields["tel3"] ?? "")
            r.date = ""
            r.calls = "0"
            r.connID = ""
            r.result = ""
            r.campaignID = campaign
            let known: Set<String> = ["customer_name", "customer_last_name", "customer_id", "tel1", "tel2", "tel3"]
            let extra = fields.filter { !known.contains($0.key) && !$0.key.hasPrefix("opt") && !$0.value.isEmpty }
            if records[r.key] != nil { duplicatesReceived += 1 }
            insert(
                SimRecord(
                    seq: nextSeq, record: r, recallDate: fields["recall_date"].flatMap { $0.isEmpty ? nil : $0 },
                    recallPhone: fields["recall_telephone"].flatMap { $0.isEmpty ? nil : $0 }, extra: extra.isEmpty ? nil : extra))
            nextSeq += 1
            count += 1
        }
        let data = "[" + WireFormat.object([("total_registers", String(count))]) + "]"
        return SimResponse(status: 201, body: WireFormat.envelope(code: .string(201), msg: "All records has been added successfully", data: data))
    }
}
