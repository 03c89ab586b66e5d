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
        return
            "Plan: \(summary.create) to create, \(summary.update) to update, \(summary.replace) to replace, \(summary.delete) to delete."
    }

    /// A property as plan lines: one for most; for a resource policy, a summary and then one line per
    /// statement added (`+`), removed (`-`) or changed (`~` before, `→` after), indented under it.
    static func propertyLines(_ property: PropertyChange) -> [(symbol: String, text: String)] {
        guard let diff = property.resourcePolicyDiff, !diff.lines.isEmpty else { return [propertyLine(property)] }
        let symbol = property.before == .null ? "+" : property.after == .null ? "-" : "~"
        var counts: [String] = []
        if !diff.added.isEmpty { counts.append("\(diff.added.count) added") }
        if !diff.removed.isEmpty { counts.append("\(diff.removed.count) removed") }
        if !diff.changed.isEmpty { counts.append("\(diff.changed.count) changed") }
        let target = property.templatePolicyTarget.map { " (resource policy of \($0))" } ?? ""
        let summary = "\(property.path)\(target): statements \(counts.joined(separator: ", "))"
        return [(symbol, summary)] + diff.lines.map { ("", "    \($0.symbol) \($0.text)") }
    }

    /// The Access changes section's lines: who a resource policy newly allows, per resource.
    static func accessLines(_ plan: Plan) -> [String] {
        (plan.accessChanges ?? []).map { "\($0.address) [\($0.region)]: \($0.newPrincipals.joined(separator: ", "))" }
    }

    static let accessHeading = "Access changes (principals a resource policy newly allows):"

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
