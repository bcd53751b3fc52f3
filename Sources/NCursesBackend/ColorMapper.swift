import TUIKit

/// Maps theme colours to what the terminal has: 256 palette entries, 16 or 8
/// ANSI colours, or none. 24-bit colours go to the nearest palette entry.
struct ColorMapper {
    let colors: Int

    func map(_ c: TermColor) -> Int16 {
        switch c {
        case .default: return -1
        case .indexed(let i): return fit(Int(i))
        case .rgb(let r, let g, let b): return fit(Self.nearest256(r, g, b))
        }
    }

    private func fit(_ index: Int) -> Int16 {
        if colors >= 256 || index < colors { return Int16(index) }
        let ansi = Self.toANSI(index)
        return Int16(colors >= 16 ? ansi : ansi % 8)
    }

    /// xterm 256 → the closest of the 16 ANSI colours.
    static func toANSI(_ index: Int) -> Int {
        if index < 16 { return index }
        let (r, g, b) = rgb(of: index)
        let bright = max(r, g, b) > 170
        let bits = (r > 95 ? 1 : 0) | (g > 95 ? 2 : 0) | (b > 95 ? 4 : 0)
        if bits == 0 { return max(r, g, b) > 60 ? 8 : 0 }
        return bits + (bright ? 8 : 0)
    }

    static func rgb(of index: Int) -> (Int, Int, Int) {
        if index >= 232 {
            let v = 8 + (index - 232) * 10
            return (v, v, v)
        }
        let i = index - 16
        let steps = [0, 95, 135, 175, 215, 255]
        return (steps[i / 36], steps[(i / 6) % 6], steps[i % 6])
    }

    static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        func step(_ v: UInt8) -> Int { v < 48 ? 0 : (v < 115 ? 1 : (Int(v) - 35) / 40) }
        return 16 + 36 * step(r) + 6 * step(g) + step(b)
    }
}
