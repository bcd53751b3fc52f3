import Foundation
import Testing

@testable import TUIKit

/// The key wait ends when an answer arrives, not when it times out.
@Suite struct WakeupTests {
    @Test func aSignalFromAnotherThreadEndsTheWaitAndIsDrained() throws {
        let wake = try #require(Wakeup())
        var idle: [Int32] = [0, 0]
        #expect(pipe(&idle) == 0)
        defer { close(idle[0]); close(idle[1]) }
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.05)
            wake.signal()
        }
        let asked = ContinuousClock.now
        #expect(wake.wait(for: idle[0], milliseconds: 20_000) == false, "woken, no key")
        #expect(ContinuousClock.now - asked < .seconds(10), "not the 20 s timeout")
        // Drained: the next wait runs its (short) course.
        let again = ContinuousClock.now
        #expect(wake.wait(for: idle[0], milliseconds: 30) == false)
        #expect(ContinuousClock.now - again >= .milliseconds(25))
    }

    @Test func aReadableTerminalEndsTheWaitWithTrue() throws {
        let wake = try #require(Wakeup())
        var keys: [Int32] = [0, 0]
        #expect(pipe(&keys) == 0)
        defer { close(keys[0]); close(keys[1]) }
        var byte: UInt8 = 0x61
        #expect(write(keys[1], &byte, 1) == 1)
        #expect(wake.wait(for: keys[0], milliseconds: 20_000))
    }
}
