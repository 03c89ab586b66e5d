import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where output goes and whether it may be coloured.
enum OutputStream {
    case standardOutput
    case standardError

    var fileDescriptor: Int32 {
        switch self {
        case .standardOutput: STDOUT_FILENO
        case .standardError: STDERR_FILENO
        }
    }

    func write(_ text: String) {
        let data = Data(text.utf8)
        switch self {
        case .standardOutput: FileHandle.standardOutput.write(data)
        case .standardError: FileHandle.standardError.write(data)
        }
    }
}

/// The colour decision (https://no-color.org): colour only on a terminal, never when
/// `NO_COLOR` is set to a non-empty value or `--no-color` is given.
enum Terminal {
    static func allowsColor(
        on stream: OutputStream, noColorFlag: Bool,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Bool {
        if noColorFlag { return false }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return isatty(stream.fileDescriptor) == 1
    }
}
