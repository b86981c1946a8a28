/// Bit pattern of Prometheus's staleness marker, a signalling NaN.
public let staleNaNBits: UInt64 = 0x7ff0_0000_0000_0002

/// Prometheus's staleness marker value (compare with `isStaleNaN`, never with `==`).
public let StaleNaN = Double(bitPattern: staleNaNBits)

/// Whether `v` is the staleness marker (bitwise comparison).
public func isStaleNaN(_ v: Double) -> Bool { v.bitPattern == staleNaNBits }
