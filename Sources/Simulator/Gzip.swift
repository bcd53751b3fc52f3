import Foundation

/// A gzip encoder small enough to live in the simulator (no zlib module is
/// importable from Swift on Linux without a new package): one fixed-Huffman
/// deflate block, literals plus length-258/distance-1 copies for runs of a
/// repeated byte. A body padded with N spaces compresses about 160:1 — the
/// `gzipbomb` fault's small answer that inflates to megabytes. The CRC of
/// the run is computed in O(log N) (zlib's crc32_combine), so a bomb of
/// gigabytes costs only its compressed size to build.
enum Gzip {
    /// `prefix`, then `count` copies of `byte`, then `suffix`, gzip-encoded.
    static func encode(prefix: Data, run byte: UInt8, count: Int, suffix: Data) -> Data {
        var bits = BitWriter()
        bits.write(1, count: 1)  // BFINAL
        bits.write(1, count: 2)  // BTYPE 01: fixed Huffman
        for b in prefix { bits.literal(b) }
        if count > 0 {
            bits.literal(byte)
            var left = count - 1
            let copies = left / 258
            left -= copies * 258
            // Each copy is length code 285 (258 bytes, Huffman 11000101) then
            // distance code 0 (distance 1, 00000): 13 bits, written reversed.
            // Eight copies are 13 whole bytes, and from the second group of
            // eight on the writer's state repeats, so those bytes repeat too.
            let groups = copies / 8
            for _ in 0..<(copies % 8 + min(groups, 1) * 8) { bits.write(0xA3, count: 13) }
            if groups > 1 {
                let mark = bits.bytes.count
                for _ in 0..<8 { bits.write(0xA3, count: 13) }
                let pattern = Array(bits.bytes[mark...])
                let block = Array([[UInt8]](repeating: pattern, count: 4096).joined())
                bits.bytes.reserveCapacity(bits.bytes.count + (groups - 2) * 13 + 1024)
                var rest = groups - 2
                while rest >= 4096 {
                    bits.bytes.append(contentsOf: block)
                    rest -= 4096
                }
                bits.bytes.append(contentsOf: block.prefix(rest * 13))
            }
            for _ in 0..<left { bits.literal(byte) }
        }
        for b in suffix { bits.literal(b) }
        bits.code(0, length: 7)  // end of block (256)
        var out = Data([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF])
        out.append(contentsOf: bits.finish())
        var crc = CRC32.of(prefix)
        crc = CRC32.combine(crc, CRC32.run(byte, count: count), count)
        crc = CRC32.combine(crc, CRC32.of(suffix), suffix.count)
        let size = UInt32(truncatingIfNeeded: prefix.count + count + suffix.count)
        for v in [crc, size] { for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: v >> UInt32(shift))) } }
        return out
    }

    struct BitWriter {
        var bytes: [UInt8] = []
        var accumulator: UInt64 = 0
        var filled: UInt64 = 0

        /// Plain values go least significant bit first.
        mutating func write(_ value: UInt32, count: UInt32) {
            accumulator |= UInt64(value & UInt32((UInt64(1) << UInt64(count)) - 1)) << filled
            filled += UInt64(count)
            while filled >= 8 {
                bytes.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator >>= 8
                filled -= 8
            }
        }

        /// Huffman codes go most significant bit first.
        mutating func code(_ value: UInt32, length: UInt32) {
            var reversed: UInt32 = 0
            for i in 0..<length { reversed |= ((value >> i) & 1) << (length - 1 - i) }
            write(reversed, count: length)
        }

        mutating func literal(_ b: UInt8) {
            if b < 144 { code(0x30 + UInt32(b), length: 8) } else { code(0x190 + UInt32(b) - 144, length: 9) }
        }

        func finish() -> [UInt8] { filled > 0 ? bytes + [UInt8(truncatingIfNeeded: accumulator)] : bytes }
    }
}

enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func of(_ data: Data) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in data { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    /// CRC of `count` copies of `byte`, by doubling.
    static func run(_ byte: UInt8, count: Int) -> UInt32 {
        guard count > 0 else { return 0 }
        var result: UInt32 = 0, resultLength = 0
        var piece = of(Data([byte])), pieceLength = 1
        var n = count
        while n > 0 {
            if n & 1 != 0 {
                result = combine(result, piece, pieceLength)
                resultLength += pieceLength
            }
            n >>= 1
            if n > 0 {
                piece = combine(piece, piece, pieceLength)
                pieceLength *= 2
            }
        }
        return result
    }

    /// CRC of A followed by B from CRC(A), CRC(B) and B's length (zlib's crc32_combine).
    static func combine(_ crc1: UInt32, _ crc2: UInt32, _ length2: Int) -> UInt32 {
        guard length2 > 0 else { return crc1 }
        func times(_ mat: [UInt32], _ vec: UInt32) -> UInt32 {
            var sum: UInt32 = 0, vec = vec, i = 0
            while vec != 0 {
                if vec & 1 != 0 { sum ^= mat[i] }
                vec >>= 1
                i += 1
            }
            return sum
        }
        func square(_ mat: [UInt32]) -> [UInt32] { (0..<32).map { times(mat, mat[$0]) } }
        var odd = [UInt32](repeating: 0, count: 32)
        odd[0] = 0xEDB8_8320
        var row: UInt32 = 1
        for n in 1..<32 {
            odd[n] = row
            row <<= 1
        }
        var even = square(odd)  // two zero bits
        odd = square(even)  // four zero bits
        var crc1 = crc1, length = length2
        repeat {
            even = square(odd)
            if length & 1 != 0 { crc1 = times(even, crc1) }
            length >>= 1
            if length == 0 { break }
            odd = square(even)
            if length & 1 != 0 { crc1 = times(odd, crc1) }
            length >>= 1
        } while length != 0
        return crc1 ^ crc2
    }
}
