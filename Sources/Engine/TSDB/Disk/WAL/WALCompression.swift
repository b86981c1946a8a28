import CSnappy
import CZstd

/// Decompression of WAL records. Prometheus marks each record fragment with a snappy (bit 3) or zstd (bit 4) flag;
/// the payload is a snappy block or a zstd frame. Both go through the distributions' C libraries (libsnappy,
/// libzstd) — the project writes no compression code of its own. Output size is capped so a corrupt length
/// cannot make us allocate without bound.
enum WALCompression {
    /// Prometheus cuts segments at 128 MiB and a record never spans segments, but a record bigger than a segment
    /// gets a segment of its own; 1 GiB is far above anything a real WAL holds.
    static let maxDecodedSize = 1 << 30

    /// Decodes a snappy block (`snappy.Decode`).
    static func snappy(_ input: [UInt8]) throws(WALCompressionError) -> [UInt8] {
        var length = 0
        let status = input.withUnsafeBufferPointer { buf -> snappy_status in
            buf.withMemoryRebound(to: CChar.self) { chars in
                snappy_uncompressed_length(chars.baseAddress, chars.count, &length)
            }
        }
        guard status == SNAPPY_OK else { throw WALCompressionError(message: "snappy: corrupt input") }
        guard length <= maxDecodedSize else {
            throw WALCompressionError(message: "snappy: decoded length \(length) exceeds \(maxDecodedSize)")
        }
        var output = [UInt8](repeating: 0, count: length)
        var written = length
        let result = input.withUnsafeBufferPointer { inBuf -> snappy_status in
            output.withUnsafeMutableBufferPointer { outBuf -> snappy_status in
                inBuf.withMemoryRebound(to: CChar.self) { inChars in
                    outBuf.withMemoryRebound(to: CChar.self) { outChars in
                        snappy_uncompress(inChars.baseAddress, inChars.count, outChars.baseAddress, &written)
                    }
                }
            }
        }
        guard result == SNAPPY_OK, written == length else { throw WALCompressionError(message: "snappy: corrupt input") }
        return output
    }

    /// Decodes one or more concatenated zstd frames (streaming, so frames without a content size work too).
    static func zstd(_ input: [UInt8]) throws(WALCompressionError) -> [UInt8] {
        if input.isEmpty { return [] }
        guard let ctx = ZSTD_createDCtx() else { throw WALCompressionError(message: "zstd: cannot allocate a context") }
        defer { ZSTD_freeDCtx(ctx) }
        var output: [UInt8] = []
        let chunk = ZSTD_DStreamOutSize()
        var scratch = [UInt8](repeating: 0, count: chunk)
        var lastResult = 0
        let failure: String? = input.withUnsafeBytes { inRaw -> String? in
            var inBuffer = ZSTD_inBuffer(src: inRaw.baseAddress, size: inRaw.count, pos: 0)
            while true {
                let (result, produced) = scratch.withUnsafeMutableBytes { outRaw -> (Int, Int) in
                    var outBuffer = ZSTD_outBuffer(dst: outRaw.baseAddress, size: outRaw.count, pos: 0)
                    let r = ZSTD_decompressStream(ctx, &outBuffer, &inBuffer)
                    return (r, outBuffer.pos)
                }
                if ZSTD_isError(result) != 0 {
                    return "zstd: " + String(cString: ZSTD_getErrorName(result))
                }
                output.append(contentsOf: scratch[0..<produced])
                if output.count > maxDecodedSize { return "zstd: decoded size exceeds \(maxDecodedSize)" }
                lastResult = result
                // Done when all input is consumed and the decoder holds nothing back.
                if inBuffer.pos == inBuffer.size && produced < chunk { return nil }
            }
        }
        if let failure { throw WALCompressionError(message: failure) }
        guard lastResult == 0 else { throw WALCompressionError(message: "zstd: truncated frame") }
        return output
    }
}

/// Why a compressed record could not be decoded.
struct WALCompressionError: Error, Sendable {
    var message: String
}
