import CSnappy
import CZstd

/// Decompression of WAL records. Prometheus marks each record fragment with a snappy (bit 3) or zstd (bit 4) flag;
/// the payload is a snappy block or a zstd frame. Both go through the distributions' C libraries (libsnappy,
/// libzstd) — the project writes no compression code of its own. Output size is capped so a corrupt length
/// cannot make us allocate without bound.
enum WALCompression {
    /// Prometheus cuts segments at 128 MiB and batches its records far below that (a checkpoint flushes at 1 MiB);
    /// 256 MiB is far above anything a real WAL holds.
    static let maxDecodedSize = 1 << 28
    /// Snappy expands at most 64 bytes per 3-byte copy element, so a block claiming more than this is corrupt
    /// (checked before the output buffer is allocated).
    static let maxSnappyRatio = 24

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
        guard length <= max(input.count, 16) * maxSnappyRatio else {
            throw WALCompressionError(message: "snappy: decoded length \(length) is impossible for \(input.count) bytes")
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

extension WALCompression {
    /// Encodes a snappy block (`snappy.Encode`); nil if libsnappy refuses (it never does for sizes a record has).
    static func snappyEncode(_ input: UnsafeRawBufferPointer) -> [UInt8]? {
        let bound = snappy_max_compressed_length(input.count)
        var output = [UInt8](repeating: 0, count: bound)
        var written = bound
        let status = output.withUnsafeMutableBufferPointer { outBuf -> snappy_status in
            outBuf.withMemoryRebound(to: CChar.self) { outChars in
                snappy_compress(input.baseAddress?.assumingMemoryBound(to: CChar.self), input.count, outChars.baseAddress, &written)
            }
        }
        guard status == SNAPPY_OK else { return nil }
        output.removeSubrange(written...)
        return output
    }

    /// Encodes one zstd frame at level 3, which matches the default encoder Prometheus uses (klauspost's
    /// `zstd.NewWriter(nil)`, `SpeedDefault`); nil on a library error.
    static func zstdEncode(_ input: UnsafeRawBufferPointer) -> [UInt8]? {
        let bound = ZSTD_compressBound(input.count)
        var output = [UInt8](repeating: 0, count: bound)
        let written = output.withUnsafeMutableBytes { out in
            ZSTD_compress(out.baseAddress, out.count, input.baseAddress, input.count, 3)
        }
        guard ZSTD_isError(written) == 0 else { return nil }
        output.removeSubrange(written...)
        return output
    }
}

/// Why a compressed record could not be decoded.
struct WALCompressionError: Error, Sendable {
    var message: String
}
