// libFuzzer entry point for the manifest loader and validator.
//
// Built only by `make fuzz` (RECONCILE_FUZZ=1 adds this target to Package.swift):
//   RECONCILE_FUZZ=1 swift build -c release --scratch-path .build/fuzz \
//     -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library --product ManifestFuzzer
// `-parse-as-library` keeps this file free of top-level code; `ManifestFuzzer_main` below
// starts libFuzzer's driver.
import Foundation
import ReconcileKit

@_cdecl("LLVMFuzzerTestOneInput")
public func manifestFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // Invalid UTF-8 is part of the input space: decode leniently, as a file read would be screened.
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        _ = try ManifestLoader.load(text: text, file: "fuzz.yaml")
    } catch {
        // Every diagnostic must render (positions inside the text, no crash on odd lines).
        for diagnostic in error.diagnostics { _ = diagnostic.rendered(snippet: false) }
    }
    return 0
}

/// libFuzzer's driver, for when we provide the entry point ourselves.
@_silgen_name("LLVMFuzzerRunDriver")
func llvmFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// SwiftPM links an executable target's entry point as `<Target>_main` (so it can also be
/// linked into tests); with `-parse-as-library` there is no such function, so this one
/// hands control to libFuzzer's driver.
@_cdecl("ManifestFuzzer_main")
public func manifestFuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return llvmFuzzerRunDriver(&count, &arguments) { data, size in manifestFuzzerTestOneInput(data, size) }
}
