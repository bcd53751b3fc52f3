import Testing
@testable import WolkvoxAPI

@Suite struct RemovalAnswerTests {
    @Test func theAnswerDecidesWhatWasDeletedNotTheStatus() {
        let all = RemovalAnswer.read("customer_id A,B has been deleted successfully", requested: ["A", "B"])
        #expect(all.deleted == ["A", "B"] && all.notDeleted.isEmpty && all.state == .succeeded)
        let part = RemovalAnswer.read("customer_id A has been deleted successfully; not found or result did not match: B", requested: ["A", "B"])
        #expect(part.deleted == ["A"] && part.notDeleted == ["B"] && part.state == .partial)
        let none = RemovalAnswer.read("customer_id A was not found; nothing was deleted", requested: ["A"])
        #expect(none.deleted.isEmpty && none.state == .rejected)
        // The documented one-ID answer with the vendor's placeholder wording.
        #expect(RemovalAnswer.read("customer_id xxxxxxxxxx has been deleted successfully", requested: ["A"]).state == .succeeded)
        // Wording we cannot read: not known, so the action stays unconfirmed.
        let odd = RemovalAnswer.read("OK", requested: ["A", "B"])
        #expect(!odd.understood && odd.state == .unknown)
        #expect(
            RemovalAnswer.read("customer_id X has been deleted successfully", requested: ["A", "B"]).state == .unknown,
            "IDs we did not ask for are not taken as ours")
    }
}
