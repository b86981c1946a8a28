#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A block's name: a ULID, 48 bits of Unix milliseconds then 80 random bits, written as 26 characters of
/// Crockford's base32, so block directories sort by creation time as Prometheus's do.
public struct ULID: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// A ULID of `milliseconds` and the given random bits (the low 80 bits of `high`:`low`).
    public init(milliseconds: UInt64, random: (high: UInt16, low: UInt64)) {
        var b = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { b[i] = UInt8(truncatingIfNeeded: milliseconds >> UInt64(8 * (5 - i))) }
        b[6] = UInt8(truncatingIfNeeded: random.high >> 8)
        b[7] = UInt8(truncatingIfNeeded: random.high)
        for i in 0..<8 { b[8 + i] = UInt8(truncatingIfNeeded: random.low >> UInt64(8 * (7 - i))) }
        bytes = b
    }

    /// A new ULID: now, and random bits from the system's secure generator.
    public static func make() -> ULID {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let ms = UInt64(max(0, Int64(ts.tv_sec))) &* 1000 &+ UInt64(max(0, Int64(ts.tv_nsec))) / 1_000_000
        var rng = SystemRandomNumberGenerator()
        return ULID(milliseconds: ms, random: (UInt16.random(in: .min ... .max, using: &rng), rng.next()))
    }

    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// The 26-character text: 128 bits read 5 at a time from the top, the first character holding 3 bits.
    public var description: String {
        var out = [UInt8]()
        out.reserveCapacity(26)
        // 130 bits of output: two zero bits above the 128.
        for i in 0..<26 {
            let bitOffset = i * 5 - 2 // the first character's top two bits are padding
            var v = 0
            for k in 0..<5 {
                let bit = bitOffset + k
                guard bit >= 0 else { continue }
                let byte = bytes[bit / 8]
                v = v << 1 | Int((byte >> UInt8(7 - bit % 8)) & 1)
            }
            out.append(Self.alphabet[v])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
