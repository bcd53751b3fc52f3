/// What a remove_record answer says was deleted. The service answers 202 to a
/// delete that deleted nothing too, so the HTTP status alone cannot be the
/// outcome: the journal, `--json`, the exit status and the console all read
/// this one judgement of the message.
public struct RemovalAnswer: Sendable, Equatable {
    /// Requested IDs the answer names as deleted, in request order.
    public var deleted: [String]
    /// Requested IDs not named as deleted.
    public var notDeleted: [String]
    /// False when the wording names neither what was deleted nor that nothing
    /// was: the records may or may not be gone, so the action stays unconfirmed.
    public var understood: Bool

    public init(deleted: [String], notDeleted: [String], understood: Bool) {
        self.deleted = deleted
        self.notDeleted = notDeleted
        self.understood = understood
    }

    /// Reads the documented answer (`customer_id a,b has been deleted
    /// successfully`) and the "nothing was deleted" answer.
    public static func read(_ message: String, requested: [String]) -> RemovalAnswer {
        let success = " has been deleted successfully"
        if let end = message.range(of: success) {
            let head = message[..<end.lowerBound]
            if let start = head.range(of: "customer_id ", options: .backwards) {
                let named = Set(head[start.upperBound...].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                let deleted = requested.filter { named.contains($0) }
                if !deleted.isEmpty {
                    return RemovalAnswer(deleted: deleted, notDeleted: requested.filter { !named.contains($0) }, understood: true)
                }
            }
            // "deleted successfully" without a list we can match: one ID asked, one ID deleted.
            if requested.count == 1 { return RemovalAnswer(deleted: requested, notDeleted: [], understood: true) }
            return RemovalAnswer(deleted: [], notDeleted: requested, understood: false)
        }
        let upper = message.uppercased()
        if upper.contains("NOTHING WAS DELETED") || upper.contains("WAS NOT FOUND") || upper.contains("DOES NOT EXIST") {
            return RemovalAnswer(deleted: [], notDeleted: requested, understood: true)
        }
        return RemovalAnswer(deleted: [], notDeleted: requested, understood: false)
    }

    /// The journal's verdict: all deleted, some, none, or not said.
    public var state: MutationOutcome.State {
        guard understood else { return .unknown }
        if deleted.isEmpty { return .rejected }
        return notDeleted.isEmpty ? .succeeded : .partial
    }

    public var totals: [String: String] {
        ["deleted": deleted.joined(separator: ","), "not_deleted": notDeleted.joined(separator: ",")]
    }
}
