import Testing
@testable import TUIKit

/// `Buffer.diff(from:)`: what a backend draws to go from one frame to the next.
@Suite struct BufferDiffTests {
    static func row(_ text: String, width: Int = 6) -> Buffer {
        var b = Buffer(size: Size(width: width, height: 1))
        _ = b.put(text, x: 0, y: 0)
        return b
    }

    static func drawn(_ changes: [CellChange]) -> [String] { changes.map { "\($0.x):\($0.cell.grapheme)" } }

    @Test func theSameFrameDrawsNothingAndAFirstOrResizedFrameDrawsEveryCell() {
        let a = Self.row("abc")
        #expect(a.diff(from: a).isEmpty)
        #expect(a.diff(from: nil).count == 6)
        #expect(a.diff(from: Self.row("abc", width: 7)).count == 6, "another size: everything again")
    }

    @Test func onlyChangedCellsAreDrawnAndAStyleChangeIsAChange() {
        var b = Self.row("abc")
        #expect(Self.drawn(b.diff(from: Self.row("abd"))) == ["2:c"])
        _ = b.put("b", x: 1, y: 0, style: Style(attributes: [.bold]))
        #expect(Self.drawn(b.diff(from: Self.row("abc"))) == ["1:b"])
    }

    @Test func aWideCharacterIsDrawnOnceAndItsHalfNever() {
        // "ab" → "漢": the wide character covers both columns; its right half is not drawn.
        #expect(Self.drawn(Self.row("漢").diff(from: Self.row("ab"))) == ["0:漢"])
        #expect(Self.row("漢").diff(from: nil).filter { $0.x == 1 }.isEmpty)
    }

    @Test func aHalfThatNowHoldsItsOwnCharacterIsDrawn() {
        // "漢" → "ab": both columns, the old right half included.
        #expect(Self.drawn(Self.row("ab").diff(from: Self.row("漢"))) == ["0:a", "1:b"])
        // "a漢" → "漢b": the shifted wide character and the cell its old half held.
        #expect(Self.drawn(Self.row("漢b").diff(from: Self.row("a漢"))) == ["0:漢", "2:b"])
        // An unchanged wide character after a changed cell stays untouched.
        #expect(Self.drawn(Self.row("x漢").diff(from: Self.row("y漢"))) == ["0:x"])
    }
}
