import AWSClient

/// The plan as a pull-request comment: summary first, destructive changes next, then
/// details per stack in `<details>` blocks. Kept under GitHub's 65,536-character limit
/// by collapsing the least important detail first, and saying so.
public enum PlanMarkdownRenderer {
    public static let characterLimit = 65_536

    /// How much detail a rendering keeps, from most to least.
    enum Detail: Int, CaseIterable {
        case full, noStepParameters, noSteps, noNoopResources, addressesOnly
    }

    /// - Parameter showCapacity: false for `--no-cost`.
    public static func render(_ plan: Plan, showCapacity: Bool = true) -> String {
        let shown = showCapacity ? plan : plan.withoutCapacity()
        for detail in Detail.allCases {
            let text = render(shown, detail: detail)
            if text.count < characterLimit { return text }
        }
        return truncated(render(shown, detail: .addressesOnly))
    }

    static func render(_ plan: Plan, detail: Detail) -> String {
        var out: [String] = []
        out.append("### reconcile plan · project `\(plan.project)`\(plan.mode == .destroy ? " · destroy" : "")")
        out.append("")
        out.append("**\(PlanWording.summaryLine(plan))**")
        out.append("")
        if let capacity = plan.summary.capacity, !capacity.isZero {
            out.append("**Capacity:** \(escape(capacity.summaryText))  ")
            out.append("<sub>\(escape(CapacityDelta.priceNote))</sub>")
            out.append("")
        }
        let destructive = plan.changes.filter(\.isDestructive)
        if !destructive.isEmpty {
            out.append("#### ⚠️ Destructive changes")
            for change in destructive {
                for reason in change.destructiveReasons {
                    out.append("- `\(PlanWording.symbol(change.action))` **\(change.address)**: \(escape(reason))")
                }
            }
            out.append("")
        }
        for group in groups(plan) {
            let changes = detail.rawValue >= Detail.noNoopResources.rawValue ? group.changes.filter { $0.action != .noop } : group.changes
            if changes.isEmpty { continue }
            let counts = PlanSummary(changes: changes)
            out.append("<details><summary><b>\(escape(group.title))</b>: \(counts.create) to create, \(counts.update) to update, \(counts.replace) to replace, \(counts.delete) to delete</summary>")
            out.append("")
            for change in changes {
                out.append("- `\(PlanWording.symbol(change.action))` **\(change.address)** \(PlanWording.verb(change.action))\(change.drift ? " _(drift)_" : "") · \(change.region)")
                if let capacity = change.capacity, !capacity.isZero {
                    out.append("  - capacity: \(escape(capacity.summaryText))")
                }
                if detail != .addressesOnly {
                    for property in change.properties {
                        let line = PlanWording.propertyLine(property)
                        out.append("  - `\(line.symbol)` `\(escapeCode(line.text))`")
                    }
                }
            }
            out.append("")
            out.append("</details>")
            out.append("")
        }
        if !plan.notDeclared.isEmpty {
            out.append("<details><summary>Not declared (left alone; <code>--prune</code> deletes them): \(plan.notDeclared.count)</summary>")
            out.append("")
            for resource in plan.notDeclared { out.append("- \(resource.address) · \(resource.region)") }
            out.append("")
            out.append("</details>")
            out.append("")
        }
        if !plan.retained.isEmpty {
            out.append("Retained (not deleted): " + plan.retained.map { "`\($0.address)`" }.joined(separator: ", "))
            out.append("")
        }
        if !plan.steps.isEmpty && detail.rawValue < Detail.noSteps.rawValue {
            out.append("<details><summary>\(plan.steps.count) AWS write calls, in order</summary>")
            out.append("")
            out.append("| # | operation | resource | reason | after |")
            out.append("|---|---|---|---|---|")
            for step in plan.steps {
                out.append("| \(step.index) | `\(step.operation)` | \(step.address) | \(escape(step.reason)) | \(step.dependsOn.map(String.init).joined(separator: ", ")) |")
            }
            out.append("")
            out.append("</details>")
            out.append("")
        }
        if detail != .full {
            out.append("_Some detail was left out to fit a pull-request comment (\(describe(detail))). Run `reconcile plan` for the full plan._")
        }
        return out.joined(separator: "\n")
    }

    struct Group {
        var title: String
        var changes: [ResourceChange]
    }

    /// One group per stack (the stack and its members), then directly managed resources.
    static func groups(_ plan: Plan) -> [Group] {
        var byStack: [String: [ResourceChange]] = [:]
        var direct: [ResourceChange] = []
        for change in plan.changes {
            if change.address.kind == .stack {
                byStack["Stack/\(change.address.name)", default: []].insert(change, at: 0)
            } else if change.managedBy.hasPrefix("Stack/") {
                byStack[change.managedBy, default: []].append(change)
            } else {
                direct.append(change)
            }
        }
        var result = byStack.keys.sorted().map { Group(title: $0, changes: byStack[$0] ?? []) }
        if !direct.isEmpty { result.append(Group(title: "Managed directly with the Kinesis API", changes: direct)) }
        return result
    }

    static func describe(_ detail: Detail) -> String {
        switch detail {
        case .full: "nothing"
        case .noStepParameters, .noSteps: "the list of AWS calls"
        case .noNoopResources: "the list of AWS calls and unchanged resources"
        case .addressesOnly: "the list of AWS calls, unchanged resources and per-property values"
        }
    }

    static func truncated(_ text: String) -> String {
        let notice = "\n\n_…cut here: the plan is too large for one comment. Run `reconcile plan` for all of it._"
        return String(text.prefix(characterLimit - notice.count - 1)) + notice
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "<", with: "&lt;")
    }

    static func escapeCode(_ text: String) -> String {
        text.replacingOccurrences(of: "`", with: "'")
    }
}
