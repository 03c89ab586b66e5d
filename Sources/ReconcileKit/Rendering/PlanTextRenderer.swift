import Formats
import Foundation

/// The plan as a reviewer reads it in a terminal or a CI log, in Terraform's idiom.
public enum PlanTextRenderer {
    /// - Parameter showCapacity: false for `--no-cost` (no capacity or cost lines).
    public static func render(_ plan: Plan, style: TextStyle, showSteps: Bool = true, showCapacity: Bool = true)
        -> String
    {
        var lines: [String] = []
        let visible = plan.changes.filter { $0.action != .noop }
        if !visible.isEmpty {
            let heading =
                plan.mode == .destroy
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
            lines.append(
                "  \(colour(symbol)) \(change.address)   \(style.dim("[\(change.region), \(change.managedBy)]"))")
            for property in change.properties {
                for line in PlanWording.propertyLines(property) {
                    lines.append("      \(line.symbol.isEmpty ? " " : colour(line.symbol)) \(line.text)")
                }
            }
            for note in change.notes { lines.append("      \(style.dim("# \(note)"))") }
            if showCapacity, let capacity = change.capacity, !capacity.isZero {
                lines.append("      \(style.dim("# capacity: \(capacity.summaryText(namingUnpricedRegions: false))"))")
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
        let access = PlanWording.accessLines(plan)
        if !access.isEmpty {
            lines.append(style.bold(PlanWording.accessHeading))
            lines += access.map { "  \($0)" }
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
        if let settled = plan.settled {
            lines.append("Read after waiting:")
            lines += settled.map { "  \($0.description)" }
            lines.append("")
        }
        if let warnings = plan.warnings {
            lines.append(style.yellow(style.bold("Warnings:")))
            lines += warnings.map { "  \($0.address) [\($0.region)]: \($0.message)" }
            lines.append("")
        }
        if showSteps && !plan.steps.isEmpty {
            lines.append("Steps (\(plan.steps.count) AWS write call\(plan.steps.count == 1 ? "" : "s"), in order):")
            let width = String(plan.steps.count - 1).count
            for step in plan.steps {
                let index = String(repeating: " ", count: width - String(step.index).count) + String(step.index)
                let after =
                    step.dependsOn.isEmpty
                    ? "" : style.dim("  (after \(step.dependsOn.map(String.init).joined(separator: ", ")))")
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
