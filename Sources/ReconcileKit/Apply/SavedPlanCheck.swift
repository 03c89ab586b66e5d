import AWSClient
import Formats
import Foundation

/// What planning again says about a saved plan before `apply --plan` runs it.
public enum SavedPlanCheck: Sendable, Equatable {
    /// Live state is what the plan was computed from.
    case fresh
    /// Live state moved (these resources), but planning again gives the same steps, so the
    /// reviewed steps still do exactly what was reviewed.
    case movedWithSameSteps(moved: [String])
    /// Refused: what moved, and the steps as reviewed (`-`) and as they would be now (`+`).
    case stale(moved: [String], stepDifference: [String])
}

extension Reconciler {
    /// Plans again with the saved plan's options and compares: fingerprints first, then steps.
    public func check(saved: Plan, desired: DesiredState) async throws -> SavedPlanCheck {
        let options = PlanOptions(
            project: saved.project, mode: saved.mode, prune: saved.options?.prune ?? false,
            adopt: saved.options?.adopt ?? false)
        let fresh: Plan
        do {
            fresh = try await plan(desired, options: options)
        } catch let error as PlanError {
            return .stale(moved: ["the live state no longer plans cleanly: \(error)"], stepDifference: [])
        }
        let moved = Self.movedResources(saved: saved, fresh: fresh)
        if moved.isEmpty { return .fresh }
        let reviewed = StepComparison.comparable(saved.steps)
        let now = StepComparison.comparable(fresh.steps)
        if reviewed == now { return .movedWithSameSteps(moved: moved) }
        return .stale(moved: moved, stepDifference: StepComparison.difference(reviewed: reviewed, now: now))
    }

    /// Every saved change whose live fingerprint is not the one planning sees now.
    static func movedResources(saved: Plan, fresh: Plan) -> [String] {
        let current = Dictionary(fresh.changes.map { ($0.address, $0.liveFingerprint) }) { first, _ in first }
        return saved.changes.compactMap { change in
            guard let fingerprint = current[change.address] else {
                return "\(change.address) (no longer in the plan for these manifests)"
            }
            return fingerprint == change.liveFingerprint ? nil : "\(change.address) (live state changed since the plan)"
        }
    }
}

/// Steps compared as the plan document writes them (operation, resource, parameters, order,
/// dependencies). Left out: the position number and the prose reason, which are not sent to AWS, and
/// CloudFormation's ClientRequestToken, an idempotency key derived from the live fingerprint that
/// moved (the saved token was never used, so sending it is as safe as sending a new one).
enum StepComparison {
    static let ignoredStepKeys: Set<String> = ["index", "reason"]
    static let ignoredParameterKeys: Set<String> = ["ClientRequestToken"]

    static func comparable(_ steps: [PlanStep]) -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return steps.map { step in
            guard let data = try? encoder.encode(step), case .object(var members)? = try? JSONValue.parse(data) else {
                return String(describing: step)
            }
            for key in ignoredStepKeys { members[key] = nil }
            return withoutIgnoredParameters(.object(members)).serializedString()
        }
    }

    static func withoutIgnoredParameters(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            .object(members.filter { !ignoredParameterKeys.contains($0.key) }.mapValues(withoutIgnoredParameters))
        case .array(let items): .array(items.map(withoutIgnoredParameters))
        default: value
        }
    }

    /// A line diff: `- ` reviewed only, `+ ` only now; common steps are left out.
    static func difference(reviewed: [String], now: [String]) -> [String] {
        var prefix = 0
        while prefix < min(reviewed.count, now.count), reviewed[prefix] == now[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < min(reviewed.count, now.count) - prefix,
            reviewed[reviewed.count - 1 - suffix] == now[now.count - 1 - suffix]
        {
            suffix += 1
        }
        let old = Array(reviewed[prefix..<(reviewed.count - suffix)])
        let new = Array(now[prefix..<(now.count - suffix)])
        // The quadratic table is affordable for a few thousand differing steps; beyond, list both sides.
        guard old.count * new.count <= 4_000_000 else { return old.map { "- \($0)" } + new.map { "+ \($0)" } }
        return longestCommonSubsequenceDiff(old, new)
    }

    static func longestCommonSubsequenceDiff(_ old: [String], _ new: [String]) -> [String] {
        var common = Array(repeating: Array(repeating: 0, count: new.count + 1), count: old.count + 1)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                common[i][j] = old[i] == new[j] ? common[i + 1][j + 1] + 1 : max(common[i + 1][j], common[i][j + 1])
            }
        }
        var lines: [String] = []
        var (i, j) = (0, 0)
        while i < old.count || j < new.count {
            if i < old.count, j < new.count, old[i] == new[j] {
                (i, j) = (i + 1, j + 1)
            } else if j == new.count || (i < old.count && common[i + 1][j] >= common[i][j + 1]) {
                lines.append("- \(old[i])")
                i += 1
            } else {
                lines.append("+ \(new[j])")
                j += 1
            }
        }
        return lines
    }
}
