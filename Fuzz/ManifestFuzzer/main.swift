// libFuzzer entry point for the manifest loader and validator (issue 7).
//
// Built only by `make fuzz` (RECONCILE_FUZZ=1 adds this target to Package.swift):
//   RECONCILE_FUZZ=1 swift build -c release --scratch-path .build/fuzz \
//     -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library --product ManifestFuzzer
// `-parse-as-library` keeps this file free of a `main` so libFuzzer's own `main` drives it;
// the file therefore holds declarations only.
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
