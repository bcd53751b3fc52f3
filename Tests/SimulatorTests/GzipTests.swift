import Foundation
import Testing
@testable import Simulator

/// The simulator's hand-made gzip (the gzipbomb fault): small on the wire,
/// and exactly the padded answer once inflated.
@Suite struct GzipTests {
    @Test func theRunCRCIsTheByteByByteCRC() {
        for n in [0, 1, 2, 3, 255, 258, 259, 1000, 65_537] {
            #expect(CRC32.run(0x20, count: n) == CRC32.of(Data(repeating: 0x20, count: n)), "\(n)")
        }
        #expect(CRC32.of(Data("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.combine(CRC32.of(Data("1234".utf8)), CRC32.of(Data("56789".utf8)), 5) == 0xCBF4_3926)
    }

    @Test func aBombIsAboutOneHundredSixtiethOfItsInflatedSize() {
        let bomb = Gzip.encode(prefix: Data(#"{"code":200,"data":[]"#.utf8), run: 0x20, count: 64 * 1_048_576, suffix: Data("}".utf8))
        #expect(bomb.count < 64 * 1_048_576 / 150, "\(bomb.count) bytes")
        #expect(bomb.prefix(3) == Data([0x1F, 0x8B, 8]))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "checked against Python's gzip"))
    func itInflatesToExactlyTheInput() throws {
        let prefix = Data(#"{"code":"200","msg":"ñ é 山","data":[]"#.utf8)
        let bomb = Gzip.encode(prefix: prefix, run: 0x20, count: 100_003, suffix: Data("}".utf8))
        let dir = FileManager.default.temporaryDirectory
        let input = dir.appendingPathComponent("bomb-\(UUID()).gz"), output = dir.appendingPathComponent("bomb-\(UUID()).out")
        try bomb.write(to: input)
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        python.arguments = ["-c", "import gzip,sys; open(sys.argv[2],'wb').write(gzip.open(sys.argv[1]).read())", input.path, output.path]
        try python.run()
        python.waitUntilExit()
        #expect(python.terminationStatus == 0)
        #expect(try Data(contentsOf: output) == prefix + Data(repeating: 0x20, count: 100_003) + Data("}".utf8))
    }
}
