import Foundation

/// A config problem, phrased as one line that says what to change.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
