import AWSClient

/// The plan as a pull-request comment, built to fit a size limit. First every changed address,
/// grouped by stack and by action with deletes, replaces and destructive changes first; then
/// per-resource details and the AWS calls while room remains; last a note that counts and names
/// what was left out and where the full plan is.
public enum PlanMarkdownRenderer {
    /// GitHub's limit for a comment body.
    public static let characterLimit = 65_536
    /// The smallest `--max-chars` that still leaves room for the header and the notice.
    public static let minimumCharacters = 4_000

    /// - Parameters:
    ///   - showCapacity: false for `--no-cost`.
    ///   - maxCharacters: the most the result may have, counted in UTF-16 code units (never fewer than
    ///     the characters GitHub counts), so a caller that adds its own text reserves room for it.
    ///   - detailsURL: where the pipeline keeps the full plan; named in the notice when something is cut.
    public static func render(
        _ plan: Plan, showCapacity: Bool = true, maxCharacters: Int = characterLimit, detailsURL: String? = nil
    ) -> String {
        let shown = showCapacity ? plan : plan.withoutCapacity()
        let limit = max(maxCharacters, minimumCharacters)
        var document = MarkdownBudget(limit: limit - OmissionNotice.reserve(detailsURL: detailsURL))
        var cut = OmissionNotice()
        document.appendAlways(header(shown))
        let grouped = groups(shown)
        appendAddressSummary(grouped, to: &document, cut: &cut)
        appendDetails(grouped, to: &document, cut: &cut)
        appendUnmanaged(shown, to: &document, cut: &cut)
        appendSteps(shown, to: &document, cut: &cut)
        var text = document.text
        if let notice = cut.text(detailsURL: detailsURL) { text += "\n" + notice }
        return fitted(text, limit: limit)
    }

    /// Title, summary line, totals and the notes that hold for the whole plan (said once here,
    /// not on every resource).
    static func header(_ plan: Plan) -> [String] {
        var out = ["### reconcile plan · project `\(plan.project)`\(plan.mode == .destroy ? " · destroy" : "")", ""]
        out.append("**\(PlanWording.summaryLine(plan))**")
        out.append("")
        let destructive = plan.changes.filter(\.isDestructive).count
        if destructive > 0 {
            let noun = destructive == 1 ? "change" : "changes"
            out.append("⚠️ **\(destructive) destructive \(noun)** (data or availability loss), marked ⚠️ below.")
            out.append("")
        }
        out += warningLines(plan.warnings ?? [])
        let access = PlanWording.accessLines(plan)
        if !access.isEmpty {
            out.append("🔑 **\(escape(PlanWording.accessHeading))**")
            out.append(contentsOf: access.map { "- \(escape($0))" })
            out.append("")
        }
        if let capacity = plan.summary.capacity, !capacity.isZero {
            out.append("**Capacity:** \(escape(capacity.summaryText))  ")
            out.append("<sub>\(escape(CapacityDelta.priceNote))</sub>")
            out.append("")
        }
        let shared = sharedNotes(plan)
        if !shared.isEmpty {
            out.append(contentsOf: shared.map { "- Note (\($0.count) resources): \(escape($0.note))" })
            out.append("")
        }
        return out
    }

    /// The plan's warnings, the first few in full (the header is always kept, so it must stay short).
    static func warningLines(_ warnings: [PlanWarning], shown: Int = 5) -> [String] {
        var out: [String] = []
        for warning in warnings.prefix(shown) {
            out += ["⚠️ **Warning** (\(warning.region)): \(escape(warning.message))", ""]
        }
        if warnings.count > shown {
            out += [
                "⚠️ _… and \(warnings.count - shown) more warnings of the same kinds; `reconcile plan` lists all._", ""
            ]
        }
        return out
    }

    /// Resource notes that more than one change carries, with how many carry them.
    static func sharedNotes(_ plan: Plan) -> [(note: String, count: Int)] {
        var counts: [String: Int] = [:]
        for change in plan.changes { for note in Set(change.notes) { counts[note, default: 0] += 1 } }
        return counts.filter { $0.value > 1 }.sorted { $0.key < $1.key }.map { (note: $0.key, count: $0.value) }
    }

    /// Deletes, replaces and destructive changes must be seen; then updates; creates last.
    static func tier(_ change: ResourceChange) -> Int {
        if change.isDestructive || change.action == .delete || change.action == .replace { return 0 }
        return change.action == .update ? 1 : 2
    }

    static func summaryLine(_ change: ResourceChange) -> String {
        let reasons = change.destructiveReasons.map(escape).joined(separator: "; ")
        let warning = change.isDestructive ? " ⚠️ " + reasons : ""
        return "- `\(PlanWording.symbol(change.action))` \(change.address)\(change.drift ? " _(drift)_" : "")\(warning)"
    }

    /// One line per changed address. When they do not all fit, whole tiers are kept in order of
    /// importance and the rest of a tier is counted per group.
    static func appendAddressSummary(_ groups: [Group], to document: inout MarkdownBudget, cut: inout OmissionNotice) {
        guard !groups.isEmpty else { return }
        let overhead = 2 + groups.reduce(0) { $0 + groupHeading($1).utf16.count + 2 + 90 }
        var room = document.remaining - "#### Changes".utf16.count - overhead
        var kept = Set<ResourceAddress>()
        let all = groups.flatMap(\.changes)
        tiers: for level in 0...2 {
            for change in all where tier(change) == level {
                let cost = summaryLine(change).utf16.count + 1
                guard cost <= room else { break tiers }  // a less important tier never pushes out a line
                room -= cost
                kept.insert(change.address)
            }
        }
        var out = ["#### Changes", ""]
        for group in groups {
            out.append(groupHeading(group))
            out.append(contentsOf: group.changes.filter { kept.contains($0.address) }.map(summaryLine))
            let missing = PlanSummary(changes: group.changes.filter { !kept.contains($0.address) })
            if missing.total > 0 {
                out.append("- _… and \(countsText(missing)), not listed_")
                cut.addressLines += missing.total
            }
            out.append("")
        }
        document.appendAlways(out)
    }

    static func groupHeading(_ group: Group) -> String {
        "**\(escape(group.title))** (\(countsText(PlanSummary(changes: group.changes))))"
    }

    static func countsText(_ counts: PlanSummary) -> String {
        let parts = [
            (counts.delete, "to delete"), (counts.replace, "to replace"), (counts.update, "to update"),
            (counts.create, "to create")
        ]
        return parts.filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
    }

    /// Per-resource values, group by group, for as many resources as fit.
    static func appendDetails(_ groups: [Group], to document: inout MarkdownBudget, cut: inout OmissionNotice) {
        for group in groups {
            let open = ["<details><summary><b>\(escape(group.title))</b>: details</summary>", ""]
            let close = ["", "</details>", ""]
            var blocks: [String] = []
            var room = document.remaining - MarkdownBudget.cost(open) - MarkdownBudget.cost(close)
            for change in group.changes {
                let block = detailLines(change)
                let cost = MarkdownBudget.cost(block)
                if cost <= room {
                    blocks.append(contentsOf: block)
                    room -= cost
                } else {
                    cut.detailsLeftOut.append(change.address.description)
                }
            }
            cut.detailsTotal += group.changes.count
            if !blocks.isEmpty { document.appendAlways(open + blocks + close) }
        }
    }

    static func detailLines(_ change: ResourceChange) -> [String] {
        var out = [
            "- `\(PlanWording.symbol(change.action))` **\(change.address)** \(PlanWording.verb(change.action))"
                + "\(change.drift ? " _(drift)_" : "") · \(change.region)"
        ]
        if var capacity = change.capacity, !capacity.isZero {
            capacity.unpricedRegions = nil  // said once, in the totals
            out.append("  - capacity: \(escape(capacity.summaryText(namingUnpricedRegions: false)))")
        }
        for note in change.notes { out.append("  - _\(escape(note))_") }
        for property in change.properties {
            for line in PlanWording.propertyLines(property) {
                let symbol = line.symbol.isEmpty ? "" : "`\(line.symbol)` "
                let indent = line.symbol.isEmpty ? "    " : ""
                out.append("  \(indent)- \(symbol)`\(escapeCode(line.text.trimmingPrefixSpaces))`")
            }
        }
        return out
    }

    static func appendUnmanaged(_ plan: Plan, to document: inout MarkdownBudget, cut: inout OmissionNotice) {
        if !plan.notDeclared.isEmpty {
            let title = "Not declared (left alone; <code>--prune</code> deletes them): \(plan.notDeclared.count)"
            var block = ["<details><summary>\(title)</summary>", ""]
            block += plan.notDeclared.map { "- \($0.address) · \($0.region)" }
            block += ["", "</details>", ""]
            if !document.append(block) { cut.notDeclared = plan.notDeclared.count }
        }
        if !plan.retained.isEmpty {
            let line = "Retained (not deleted): " + plan.retained.map { "`\($0.address)`" }.joined(separator: ", ")
            if !document.append([line, ""]) { cut.retained = plan.retained.count }
        }
        if let settled = plan.settled {
            _ = document.append(["Read after waiting:"] + settled.map { "- \($0.description)" } + [""])
        }
    }

    static func appendSteps(_ plan: Plan, to document: inout MarkdownBudget, cut: inout OmissionNotice) {
        guard !plan.steps.isEmpty else { return }
        var block = ["<details><summary>\(plan.steps.count) AWS write calls, in order</summary>", ""]
        block += ["| # | operation | resource | reason | after |", "|---|---|---|---|---|"]
        for step in plan.steps {
            block.append(
                "| \(step.index) | `\(step.operation)` | \(step.address) | \(escape(step.reason)) | "
                    + "\(step.dependsOn.map(String.init).joined(separator: ", ")) |")
        }
        block += ["", "</details>", ""]
        if !document.append(block) { cut.steps = plan.steps.count }
    }

    struct Group {
        var title: String
        var changes: [ResourceChange]
    }

    /// One group per stack (the stack and its members), then directly managed resources; within a
    /// group deletes, replaces, updates, creates; unchanged resources are left out.
    static func groups(_ plan: Plan) -> [Group] {
        var byStack: [String: [ResourceChange]] = [:]
        var direct: [ResourceChange] = []
        for change in plan.changes where change.action != .noop {
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
        let order: [ChangeAction] = [.delete, .replace, .update, .create]
        return result.map { group in
            Group(title: group.title, changes: order.flatMap { action in group.changes.filter { $0.action == action } })
        }
    }

    /// A safety net: the sections are sized to fit, so this only cuts if an estimate was wrong.
    static func fitted(_ text: String, limit: Int) -> String {
        guard text.utf16.count > limit else { return text }
        let notice = "\n\n_…cut here to fit the size limit._"
        var kept = Substring(text)
        while kept.utf16.count > limit - notice.utf16.count {
            kept = kept.dropLast(max(1, (kept.utf16.count - limit + notice.utf16.count) / 2))
        }
        return String(kept) + notice
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "<", with: "&lt;")
    }

    static func escapeCode(_ text: String) -> String {
        text.replacingOccurrences(of: "`", with: "'")
    }
}

/// Lines with a running size, so each section takes only the room that is left.
struct MarkdownBudget {
    let limit: Int
    private(set) var lines: [String] = []
    private(set) var used = 0

    init(limit: Int) {
        self.limit = limit
    }

    var remaining: Int { limit - used }
    var text: String { lines.joined(separator: "\n") }

    static func cost(_ block: [String]) -> Int { block.reduce(0) { $0 + $1.utf16.count + 1 } }

    mutating func appendAlways(_ block: [String]) {
        lines.append(contentsOf: block)
        used += Self.cost(block)
    }

    /// Appends the block if it fits whole; false when it was left out.
    mutating func append(_ block: [String]) -> Bool {
        guard Self.cost(block) <= remaining else { return false }
        appendAlways(block)
        return true
    }
}

/// What a size-limited rendering left out, said in one closing paragraph.
struct OmissionNotice {
    var addressLines = 0
    var detailsLeftOut: [String] = []
    var detailsTotal = 0
    var steps = 0
    var notDeclared = 0
    var retained = 0

    /// Room kept for the notice itself: four short clauses, three names, the URL.
    static func reserve(detailsURL: String?) -> Int { 1_200 + (detailsURL?.utf16.count ?? 0) }

    func text(detailsURL: String?) -> String? {
        var parts: [String] = []
        if addressLines > 0 { parts.append("\(addressLines) address lines (counted per group above)") }
        if !detailsLeftOut.isEmpty {
            let names = detailsLeftOut.prefix(3).map { "`\($0.prefix(80))`" }.joined(separator: ", ")
            let more = detailsLeftOut.count > 3 ? ", …" : ""
            let count = "\(detailsLeftOut.count) of \(detailsTotal)"
            parts.append("the details of \(count) changed resources (\(names)\(more))")
        }
        if steps > 0 { parts.append("the list of \(steps) AWS write calls") }
        if notDeclared > 0 { parts.append("the \(notDeclared) resources not declared") }
        if retained > 0 { parts.append("the \(retained) retained resources") }
        guard !parts.isEmpty else { return nil }
        let whereToLook =
            detailsURL.map { "The full plan: \($0)" }
            ?? "Run `reconcile plan` on this commit for all of it."
        return "_Some detail was left out to fit the size limit: " + parts.joined(separator: "; ") + "._ " + whereToLook
    }
}

extension String {
    /// The text without its leading spaces (indentation is Markdown's job there).
    fileprivate var trimmingPrefixSpaces: String { String(drop { $0 == " " }) }
}
