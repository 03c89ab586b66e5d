import AWSSigV4
import Formats
import Foundation

/// A profile's `credential_process`: the command is split into words as botocore splits it
/// (POSIX shell quoting, but no shell runs), started directly, and must print JSON `Version: 1`
/// credentials on stdout within the timeout.
struct CredentialProcessProvider: CredentialProvider {
    let profile: String
    let command: String
    let timeout: Duration

    /// Longer than any interactive helper should need; a hung helper must not hang a pipeline.
    static let defaultTimeout: Duration = .seconds(60)

    var sourceDescription: String { "credential_process (profile '\(profile)')" }

    private var origin: String { "credential_process of profile '\(profile)'" }

    func fetch() async throws -> ExpiringCredentials {
        let words = try ShellWords.split(command)
        guard let program = words.first else {
            throw CredentialProviderError(source: origin, reason: "the command is empty", fix: "set a command to run")
        }
        let run: ProcessRun.Result
        do {
            run = try await ProcessRun.run(program: program, arguments: Array(words.dropFirst()), timeout: timeout)
        } catch {
            throw CredentialProviderError(
                source: origin, reason: "'\(program)' could not be started",
                fix: "check the path and that it is executable")
        }
        if run.timedOut {
            throw CredentialProviderError(
                source: origin, reason: "'\(program)' did not finish within \(timeout.components.seconds) seconds",
                fix: "check that it does not wait for input")
        }
        guard run.status == 0 else {
            throw CredentialProviderError(
                source: origin, reason: "'\(program)' exited with status \(run.status)\(Self.stderrNote(run.stderr))",
                fix: "run it by hand to see why")
        }
        return try parse(run.stdout, program: program, stderr: run.stderr)
    }

    func parse(_ output: Data, program: String, stderr: Data) throws -> ExpiringCredentials {
        guard let json = try? JSONValue.parse(output), json["Version"]?.intValue == 1,
            let accessKey = json["AccessKeyId"]?.stringValue, let secretKey = json["SecretAccessKey"]?.stringValue
        else {
            throw CredentialProviderError(
                source: origin,
                reason: "'\(program)' did not print JSON with Version 1, AccessKeyId and SecretAccessKey"
                    + Self.stderrNote(stderr),
                fix: "see the AWS CLI's credential_process documentation for the format")
        }
        var expiration: Date?
        if let text = json["Expiration"]?.stringValue {
            guard let date = AWSTimestamp.parse(text) else {
                throw CredentialProviderError(
                    source: origin, reason: "Expiration '\(text)' is not an ISO 8601 time",
                    fix: "print e.g. 2030-01-01T00:00:00Z")
            }
            expiration = date
        }
        let credentials = Credentials(
            accessKeyId: accessKey, secretAccessKey: secretKey, sessionToken: json["SessionToken"]?.stringValue)
        return ExpiringCredentials(credentials, expiration: expiration)
    }

    /// The end of the process's stderr, which usually says what went wrong.
    static func stderrNote(_ stderr: Data) -> String {
        let text = String(decoding: stderr, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " / ")
        if text.isEmpty { return "" }
        return "; its stderr: " + (text.count > 500 ? "…" + String(text.suffix(500)) : text)
    }
}

/// Splits a command line as Python's `shlex.split` does (botocore's `compat_shell_split` on POSIX):
/// whitespace separates words; single quotes keep everything; double quotes keep all but `\"` and `\\`;
/// a backslash outside quotes escapes the next character.
enum ShellWords {
    static func split(_ text: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var iterator = Array(text).makeIterator()
        while let character = iterator.next() {
            switch (quote, character) {
            case (nil, "'"), (nil, "\""):
                quote = character
                inWord = true
            case (nil, "\\"):
                if let next = iterator.next() { current.append(next) }
                inWord = true
            case (nil, _) where character.isWhitespace:
                if inWord { words.append(current) }
                current = ""
                inWord = false
            case ("'", "'"), ("\"", "\""):
                quote = nil
            case ("\"", "\\"):
                guard let next = iterator.next() else { break }
                if next != "\"" && next != "\\" { current.append("\\") }
                current.append(next)
            default:
                current.append(character)
                inWord = true
            }
        }
        if quote != nil {
            throw CredentialProviderError(
                source: "credential_process", reason: "the command has an unclosed quote", fix: "close the quote")
        }
        if inWord { words.append(current) }
        return words
    }
}
