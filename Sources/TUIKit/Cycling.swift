/// Focus that moves round a fixed set of positions: Tab and Shift-Tab in a
/// dialog, a value picked with ← →. Wraps at both ends.
public extension CaseIterable where Self: Equatable {
    func next() -> Self { step(1) }
    func previous() -> Self { step(-1) }

    private func step(_ by: Int) -> Self {
        let all = Array(Self.allCases)
        guard let i = all.firstIndex(of: self) else { return self }
        return all[(i + by + all.count) % all.count]
    }
}

public extension Int {
    /// This position moved `by` places round `count` positions (0..<count).
    func cycled(by: Int, in count: Int) -> Int { count > 0 ? ((self + by) % count + count) % count : 0 }
}
