import Foundation

/// The `/` filter's comparison form: lower-case, Latin accents removed, so
/// what a supervisor types on a keyboard without them (`perez`, `pena`,
/// `sao`) finds Pérez, PEÑA and São, and an accented needle finds plain data.
/// Other letters lose their accents by canonical decomposition (Ștefan,
/// Nguyễn); scripts without them (山田) are compared as they are, lower-cased.
enum SearchFolding {
    /// `s` folded, as a String (short lists: the campaign pane, help).
    static func folded(_ s: String) -> String {
        var bytes: [UInt8] = []
        append(s, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the folded UTF-8 of `s`. ASCII, the common case, byte by byte.
    static func append(_ s: String, to out: inout [UInt8]) {
        var s = s
        let ascii = s.withUTF8 { utf8 in
            guard utf8.allSatisfy({ $0 < 0x80 }) else { return false }
            for b in utf8 { out.append(b >= 0x41 && b <= 0x5A ? b + 32 : b) }
            return true
        }
        if ascii { return }
        // Latin-1 and Latin Extended-A are folded by the table alone; text
        // with anything else is lower-cased and decomposed first, so the
        // accents of ș, ễ or ǎ come off as combining marks whichever form
        // (precomposed or not) the data used.
        let source =
            s.unicodeScalars.contains { $0.value >= 0x180 && !(0x300...0x36F).contains($0.value) }
            ? s.lowercased().decomposedStringWithCanonicalMapping : s
        for scalar in source.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                out.append(v >= 0x41 && v <= 0x5A ? UInt8(v) + 32 : UInt8(v))
            } else if (0x300...0x36F).contains(v) {
                continue  // a combining accent (decomposed text): dropped like a precomposed one
            } else if (0xC0..<0x180).contains(v), let plain = latin[Int(v - 0xC0)] {
                out.append(contentsOf: plain.utf8)
            } else {
                out.append(contentsOf: String(scalar).utf8)
            }
        }
    }

    /// U+00C0…U+017F (lower-case forms used; upper-case ones map alike), nil where kept as is (×, ÷).
    static let latin: [String?] = {
        let rows: [(ClosedRange<UInt32>, String)] = [
            (0xC0...0xC5, "a"), (0xC6...0xC6, "ae"), (0xC7...0xC7, "c"), (0xC8...0xCB, "e"), (0xCC...0xCF, "i"),
            (0xD0...0xD0, "d"), (0xD1...0xD1, "n"), (0xD2...0xD6, "o"), (0xD8...0xD8, "o"), (0xD9...0xDC, "u"),
            (0xDD...0xDD, "y"), (0xDE...0xDE, "th"), (0xDF...0xDF, "ss"),
            (0xE0...0xE5, "a"), (0xE6...0xE6, "ae"), (0xE7...0xE7, "c"), (0xE8...0xEB, "e"), (0xEC...0xEF, "i"),
            (0xF0...0xF0, "d"), (0xF1...0xF1, "n"), (0xF2...0xF6, "o"), (0xF8...0xF8, "o"), (0xF9...0xFC, "u"),
            (0xFD...0xFD, "y"), (0xFE...0xFE, "th"), (0xFF...0xFF, "y"),
            (0x100...0x105, "a"), (0x106...0x10D, "c"), (0x10E...0x111, "d"), (0x112...0x11B, "e"), (0x11C...0x123, "g"),
            (0x124...0x127, "h"), (0x128...0x131, "i"), (0x132...0x133, "ij"), (0x134...0x135, "j"), (0x136...0x138, "k"),
            (0x139...0x142, "l"), (0x143...0x14B, "n"), (0x14C...0x151, "o"), (0x152...0x153, "oe"), (0x154...0x159, "r"),
            (0x15A...0x161, "s"), (0x162...0x167, "t"), (0x168...0x173, "u"), (0x174...0x175, "w"), (0x176...0x178, "y"),
            (0x179...0x17E, "z"), (0x17F...0x17F, "s"),
        ]
        var table = [String?](repeating: nil, count: 0xC0)
        for (range, plain) in rows {
            for v in range { table[Int(v - 0xC0)] = plain }
        }
        return table
    }()
}
