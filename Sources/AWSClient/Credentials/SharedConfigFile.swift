import Foundation

/// An INI file in the AWS CLI's format (`~/.aws/credentials`, `~/.aws/config`): sections of
/// `key = value` lines; `#` and `;` start comment lines. Indented lines (nested settings such as
/// `s3 =` blocks) are ignored, as we need only top-level keys.
struct SharedConfigFile: Sendable {
    var sections: [String: [String: String]]
    /// The first line that is neither a section, a setting, a comment nor an indented line
    /// (botocore refuses such files): its 1-based number and text.
    var malformedLine: (number: Int, text: String)?

    init(sections: [String: [String: String]], malformedLine: (number: Int, text: String)? = nil) {
        self.sections = sections
        self.malformedLine = malformedLine
    }

    /// Reads and parses `path`; nil when the file does not exist or cannot be read.
    static func load(_ path: String) -> SharedConfigFile? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return parse(String(decoding: data, as: UTF8.self))
    }

    static func parse(_ text: String) -> SharedConfigFile {
        var sections: [String: [String: String]] = [:]
        var current: String?
        var malformed: (number: Int, text: String)?
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            if rawLine.first == " " || rawLine.first == "\t" { continue }
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard let close = line.firstIndex(of: "]") else {
                    malformed = malformed ?? (index + 1, line)
                    current = nil
                    continue
                }
                let name = line[line.index(after: line.startIndex)..<close]
                    .split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
                current = name
                sections[name, default: [:]] = sections[name, default: [:]]
                continue
            }
            guard let section = current, let equals = line.firstIndex(of: "=") else {
                malformed = malformed ?? (index + 1, line)
                continue
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[section, default: [:]][key] = value
        }
        return SharedConfigFile(sections: sections, malformedLine: malformed)
    }

    /// The settings of an `[sso-session NAME]` section of the config file.
    func ssoSession(_ name: String) -> [String: String]? { sections["sso-session \(name)"] }

    /// The settings of a profile in the credentials file: section `[name]`.
    func credentialsProfile(_ name: String) -> [String: String]? { sections[name] }

    /// The settings of a profile in the config file: `[profile name]`, or `[default]` for default
    /// (the AWS CLI also accepts `[profile default]`).
    func configProfile(_ name: String) -> [String: String]? {
        if name == "default" { return sections["default"] ?? sections["profile default"] }
        return sections["profile \(name)"]
    }
}
