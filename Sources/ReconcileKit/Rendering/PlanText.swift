import AWSClient
import Formats
import Foundation

/// Shared wording for every plan renderer.
enum PlanWording {
    static func symbol(_ action: ChangeAction) -> String {
        switch action {
        case .create: "+"
        case .update: "~"
        case .replace: "-/+"
        case .delete: "-"
        case .noop: " "
        }
    }

    static func verb(_ action: ChangeAction) -> String {
        switch action {
        case .create: "will be created"
        case .update: "will be updated in place"
        case .replace: "must be replaced"
        case .delete: "will be deleted"
        case .noop: "is up to date"
        }
    }

    /// A value as a reviewer reads it: strings quoted, absent as `(none)`.
    static func value(_ value: JSONValue) -> String {
        switch value {
        case .null: return "(none)"
        case .string(let text):
            let oneLine = text.count > 80 ? String(text.prefix(77)) + "..." : text
            return "\"\(oneLine.replacingOccurrences(of: "\n", with: "\\n"))\""
        default:
            let text = value.serializedString()
            return text.count > 120 ? String(text.prefix(117)) + "..." : text
        }
    }

    static func summaryLine(_ plan: Plan) -> String {
        guard plan.hasChanges else { return "No changes. Live state matches the manifests." }
        let summary = plan.summary
        return "Plan: \(summary.create) to create, \(summary.update) to update, \(summary.replace) to replace, \(summary.delete) to delete."
    }

    static func propertyLine(_ property: PropertyChange) -> (symbol: String, text: String) {
        let symbol: String
        let text: String
        switch (property.before, property.after) {
        case (.null, let after):
            symbol = "+"
            text = "\(property.path): \(value(after))"
        case (let before, .null):
            symbol = "-"
            text = "\(property.path): \(value(before))"
        default:
            symbol = "~"
            text = "\(property.path): \(value(property.before)) → \(value(property.after))"
        }
        var notes: [String] = []
        if property.forcesReplacement { notes.append("forces replacement") }
        if property.drift { notes.append("drift: changed outside reconcile") }
        return (symbol, notes.isEmpty ? text : "\(text)   # \(notes.joined(separator: "; "))")
    }
}

/// The plan as a reviewer reads it in a terminal or a CI log, in Terraform's idiom.
public enum PlanTextRenderer {
    /// - Parameter showCapacity: false for `--no-cost` (no capacity or cost lines).
    public static func render(_ plan: Plan, style: TextStyle, showSteps: Bool = true, showCapacity: Bool = true) -> String {
        var lines: [String] = []
        let visible = plan.changes.filter { $0.action != .noop }
        if !visible.isEmpty {
            let heading = plan.mode == .destroy
                ? "reconcile will destroy the following (project \"\(plan.project)\"):"
                : "reconcile will perform the following actions (project \"\(plan.project)\"):"
            lines.append(heading)
            lines.append("")
        }
        for change in visible {
            let symbol = PlanWording.symbol(change.action)
            let colour = colourer(change.action, style)
            var header = "  # \(change.address) \(PlanWording.verb(change.action))"
            if change.drift { header += " (drift: live state changed outside reconcile)" }
            lines.append(style.bold(header))
            lines.append("  \(colour(symbol)) \(change.address)   \(style.dim("[\(change.region), \(change.managedBy)]"))")
            for property in change.properties {
                let line = PlanWording.propertyLine(property)
                lines.append("      \(colour(line.symbol)) \(line.text)")
            }
            for note in change.notes { lines.append("      \(style.dim("# \(note)"))") }
            if showCapacity, let capacity = change.capacity, !capacity.isZero {
                lines.append("      \(style.dim("# capacity: \(capacity.summaryText)"))")
            }
            lines.append("")
        }
        let destructive = plan.changes.filter(\.isDestructive)
        if !destructive.isEmpty {
            lines.append(style.red(style.bold("Destructive changes (data or availability may be lost):")))
            for change in destructive {
                for reason in change.destructiveReasons {
                    lines.append("  \(style.red(PlanWording.symbol(change.action))) \(change.address): \(reason)")
                }
            }
            lines.append("")
        }
        if !plan.notDeclared.isEmpty {
            lines.append("Not declared (left alone; --prune deletes them):")
            for resource in plan.notDeclared {
                lines.append("  \(resource.address) [\(resource.region)]: \(resource.reason)")
            }
            lines.append("")
        }
        if !plan.retained.isEmpty {
            lines.append("Retained (not deleted):")
            for resource in plan.retained {
                lines.append("  \(resource.address) [\(resource.region)]: \(resource.reason)")
            }
            lines.append("")
        }
        if showSteps && !plan.steps.isEmpty {
            lines.append("Steps (\(plan.steps.count) AWS write call\(plan.steps.count == 1 ? "" : "s"), in order):")
            let width = String(plan.steps.count - 1).count
            for step in plan.steps {
                let index = String(repeating: " ", count: width - String(step.index).count) + String(step.index)
                let after = step.dependsOn.isEmpty ? "" : style.dim("  (after \(step.dependsOn.map(String.init).joined(separator: ", ")))")
                lines.append("  \(index)  \(step.operation)  \(step.address)  \(style.dim("— \(step.reason)"))\(after)")
            }
            lines.append("")
        }
        if showCapacity, let capacity = plan.summary.capacity, !capacity.isZero {
            lines.append("Capacity: \(capacity.summaryText)")
            lines.append(style.dim(CapacityDelta.priceNote))
            lines.append("")
        }
        lines.append(style.bold(PlanWording.summaryLine(plan)))
        return lines.joined(separator: "\n")
    }

    /// `Plan: N to create, …` or `No changes. …`: the line every text plan ends with.
    public static func summaryLine(_ plan: Plan) -> String { PlanWording.summaryLine(plan) }

    static func colourer(_ action: ChangeAction, _ style: TextStyle) -> (String) -> String {
        switch action {
        case .create: style.green
        case .update: style.yellow
        case .replace: style.magenta
        case .delete: style.red
        case .noop: { $0 }
        }
    }
}

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
