/// A terminal for tests: keeps the last frame, replays scripted keys, and
/// records raw writes (OSC 52) so they can be asserted.
@MainActor
public final class TestBackend: TerminalBackend {
    public var size: Size
    public var colorCount: Int
    public private(set) var lastFrame: Buffer
    public private(set) var frames = 0
    public private(set) var rawWrites: [String] = []
    public private(set) var restored = false
    public var keys: [Key]

    public init(size: Size, colorCount: Int = 256, keys: [Key] = []) {
        self.size = size
        self.colorCount = colorCount
        self.lastFrame = Buffer(size: size)
        self.keys = keys
    }

    public func draw(_ buffer: Buffer) {
        lastFrame = buffer
        frames += 1
    }
    public func invalidate() {}
    public func readKey(timeoutMilliseconds: Int) -> Key? { keys.isEmpty ? nil : keys.removeFirst() }
    public func writeRaw(_ bytes: String) { rawWrites.append(bytes) }
    public func restore() { restored = true }
}
