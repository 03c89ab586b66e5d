import Formats
import Foundation

/// The plan document as JSON (SPEC 3), also what `--out FILE` writes.
public enum PlanJSONRenderer {
    public static func render(_ plan: Plan) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = (try? encoder.encode(plan)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads a plan file; typed errors for a wrong version or a document that is not a plan.
    public static func parse(_ data: Data) throws(PlanFileError) -> Plan {
        guard let document = try? JSONValue.parse(data), case .object = document else { throw .notAPlan }
        guard let version = document["formatVersion"]?.intValue else { throw .notAPlan }
        guard version == Plan.currentFormatVersion else { throw .unsupportedVersion(version) }
        do {
            return try JSONDecoder().decode(Plan.self, from: data)
        } catch {
            throw .malformed(String(describing: error))
        }
    }
}

public enum PlanFileError: Error, Sendable, CustomStringConvertible {
    case notAPlan
    case unsupportedVersion(Int)
    case malformed(String)

    public var description: String {
        switch self {
        case .notAPlan: "the file is not a reconcile plan (expected the JSON written by 'reconcile plan --out FILE')"
        case .unsupportedVersion(let version):
            "the plan has formatVersion \(version); this reconcile reads formatVersion \(Plan.currentFormatVersion). Plan again with this version."
        case .malformed(let detail): "the plan file does not parse: \(detail)"
        }
    }
}
