/// A chunk whose bytes do not decode: too short, a bad bit pattern, an unknown schema or encoding. Carries the
/// bit position inside the chunk data so a corrupt file can be located; the chunk reader adds file and offset.
public struct ChunkDecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Bit offset inside the chunk's data (after the encoding byte) where decoding failed.
    public var bitOffset: Int
    public var reason: String

    public init(bitOffset: Int, reason: String) {
        self.bitOffset = bitOffset
        self.reason = reason
    }

    public var description: String { "\(reason) (chunk bit \(bitOffset))" }
}
