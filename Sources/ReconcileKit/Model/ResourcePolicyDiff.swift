import Formats

/// The statement-level difference between two resource policies, as a reviewer reads it: statements
/// added, removed and changed (matched by `Sid`), and the principals that gain access.
public struct ResourcePolicyDiff: Sendable, Hashable {
    public var added: [ResourcePolicyStatement] = []
    public var removed: [ResourcePolicyStatement] = []
    public var changed: [(before: ResourcePolicyStatement, after: ResourcePolicyStatement)] = []
    /// Principals of `Allow` statements after the change that no `Allow` statement named before.
    public var newPrincipals: [String] = []

    public init(from before: ResourcePolicy?, to after: ResourcePolicy?) {
        var old = before?.statements ?? []
        var new = after?.statements ?? []
        // Statements that mean the same on both sides are not part of the difference.
        for statement in new {
            if let match = old.firstIndex(where: { $0.normalized == statement.normalized }) {
                old.remove(at: match)
                new.removeAll { $0 == statement }
            }
        }
        for statement in new {
            if let sid = statement.sid, let match = old.firstIndex(where: { $0.sid == sid }) {
                changed.append((old.remove(at: match), statement))
            } else {
                added.append(statement)
            }
        }
        removed = old
        let granted = Set((before?.statements ?? []).filter { $0.effect == "Allow" }.flatMap(\.principals))
        let granting = (after?.statements ?? []).filter { $0.effect == "Allow" }.flatMap(\.principals)
        newPrincipals = Array(Set(granting).subtracting(granted)).sorted()
    }

    public static func == (lhs: ResourcePolicyDiff, rhs: ResourcePolicyDiff) -> Bool {
        lhs.added == rhs.added && lhs.removed == rhs.removed && lhs.newPrincipals == rhs.newPrincipals
            && lhs.changed.map(\.before) == rhs.changed.map(\.before)
            && lhs.changed.map(\.after) == rhs.changed.map(\.after)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(added)
        hasher.combine(removed)
        hasher.combine(newPrincipals)
    }

    /// One line per statement: `+`, `-` or `~` and the statement in compact form.
    public var lines: [(symbol: String, text: String)] {
        removed.map { ("-", $0.compactText) }
            + changed.flatMap { [("~", $0.before.compactText), ("→", $0.after.compactText)] }
            + added.map { ("+", $0.compactText) }
    }
}

extension ResourcePolicyStatement {
    /// `Sid: Allow AWS:arn:aws:iam::111122223333:root kinesis:PutRecord,kinesis:ListShards on arn:… if {…}`
    public var compactText: String {
        let value = normalized
        func list(_ key: String) -> String? {
            guard let items = value[key]?.arrayValue else { return nil }
            return items.compactMap(\.stringValue).joined(separator: ",")
        }
        var parts: [String] = []
        if let sid { parts.append("\(sid):") }
        parts.append(effect)
        if value["NotPrincipal"] != nil {
            parts.append(
                "all but "
                    + (ResourcePolicyStatement(json: ["Principal": value["NotPrincipal"] ?? .null])
                        .principals.joined(separator: ",")))
        } else {
            parts.append(principals.joined(separator: ","))
        }
        if let actions = list("Action") { parts.append(actions) }
        if let actions = list("NotAction") { parts.append("all actions but " + actions) }
        if let resources = list("Resource") { parts.append("on " + resources) }
        if let resources = list("NotResource") { parts.append("on all but " + resources) }
        if let condition = value["Condition"] { parts.append("if " + condition.serializedString()) }
        return parts.joined(separator: " ")
    }
}
