import ArgumentParser
import Foundation

enum StandardError {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// The one way a command reports a failure: `error: …` on stderr and exit code 1.
enum CommandFailure {
    static func report(_ error: Error) -> ExitCode {
        if let exit = error as? ExitCode { return exit }
        return report(message: String(describing: error))
    }

    static func report(message: String) -> ExitCode {
        StandardError.write("error: \(message)")
        return ExitCode(1)
    }
}
