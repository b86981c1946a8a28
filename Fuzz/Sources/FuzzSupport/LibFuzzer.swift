#if canImport(Glibc)
@_exported import Glibc
#endif

/// libFuzzer's driver, linked in by `-sanitize=fuzzer`; SwiftPM's executables own `main`, so we call it.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// Runs libFuzzer with the process's arguments on `callback`.
public func runLibFuzzer(_ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt {
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    return LLVMFuzzerRunDriver(&argc, &argv, callback)
}

/// Present only so that linkers resolving libFuzzer's own `main` object find the symbol; our executables
/// drive libFuzzer through `runLibFuzzer` instead.
@_cdecl("LLVMFuzzerTestOneInput")
public func unusedLibFuzzerEntry(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt { 0 }
