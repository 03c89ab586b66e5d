import AWSClient
import Formats

/// What happens to one resource.
public enum ChangeAction: String, Sendable, Hashable, Codable {
    case create, update, replace, delete, noop
}

/// One property's old and new value. `before`/`after` are `null` when absent.
public struct PropertyChange: Sendable, Hashable, Codable {
    public var path: String
    public var before: JSONValue
    public var after: JSONValue
    public var forcesReplacement: Bool
    /// The live value differs from what reconcile last deployed (changed outside reconcile).
    public var drift: Bool
    /// For a resource policy: its statements added, removed and changed; nil for every other property.
    public var statements: StatementChanges?

    public init(path: String, before: JSONValue, after: JSONValue, forcesReplacement: Bool = false, drift: Bool = false)
    {
        self.path = path
        self.before = before
        self.after = after
        self.forcesReplacement = forcesReplacement
        self.drift = drift
    }
}

/// The change planned for one resource address.
public struct ResourceChange: Sendable, Hashable, Codable {
    public var address: ResourceAddress
    public var region: String
    public var manager: ManagedBy
    public var action: ChangeAction
    public var drift: Bool
    public var properties: [PropertyChange]
    /// Digest of the live state this change was computed from (`sha256:…`), checked by `apply --plan`.
    public var liveFingerprint: String
    /// Why a reviewer should look twice (data or availability loss); empty when harmless.
    public var destruction: [DestructiveReason]
    /// Extra words for the reviewer (e.g. why a replacement happens).
    public var notes: [String]
    /// For streams: capacity (and, where priced, cost) added or removed per month.
    public var capacity: CapacityDelta?

    enum CodingKeys: String, CodingKey {
        case address, region, action, drift, properties, liveFingerprint, notes, capacity
        case manager = "managedBy"
        case destruction = "destructiveReasons"
    }

    public init(
        address: ResourceAddress, region: String, managedBy: ManagedBy, action: ChangeAction, drift: Bool = false,
        properties: [PropertyChange] = [], liveFingerprint: String, destructiveReasons: [DestructiveReason] = [],
        notes: [String] = [], capacity: CapacityDelta? = nil
    ) {
        self.address = address
        self.region = region
        self.manager = managedBy
        self.action = action
        self.drift = drift
        self.properties = properties
        self.liveFingerprint = liveFingerprint
        self.destruction = destructiveReasons
        self.notes = notes
        self.capacity = capacity
    }

    /// `cloudformation`, `Stack/NAME` or `kinesis`, as the plan document writes it.
    public var managedBy: String { manager.description }

    /// The destructive reasons in the plan's words.
    public var destructiveReasons: [String] { destruction.map(\.description) }

    public var isDestructive: Bool { !destruction.isEmpty }
}

public struct PlanSummary: Sendable, Hashable, Codable {
    public var create = 0
    public var update = 0
    public var replace = 0
    public var delete = 0
    /// The total capacity delta of every stream change; nil when no change has one.
    public var capacity: CapacityDelta?

    public init(create: Int = 0, update: Int = 0, replace: Int = 0, delete: Int = 0, capacity: CapacityDelta? = nil) {
        self.create = create
        self.update = update
        self.replace = replace
        self.delete = delete
        self.capacity = capacity
    }

    public init(changes: [ResourceChange]) {
        for change in changes {
            switch change.action {
            case .create: create += 1
            case .update: update += 1
            case .replace: replace += 1
            case .delete: delete += 1
            case .noop: break
            }
        }
        capacity = CapacityDelta.total(changes.compactMap(\.capacity))
    }

    public var total: Int { create + update + replace + delete }
}

public struct SavedPlanOptions: Sendable, Hashable, Codable {
    public var prune: Bool
    public var adopt: Bool

    public init(prune: Bool, adopt: Bool) {
        self.prune = prune
        self.adopt = adopt
    }
}

public enum PlanMode: String, Sendable, Hashable, Codable {
    case apply
    case destroy
}

/// A resource that exists but reconcile leaves alone, and why.
public struct UnmanagedResource: Sendable, Hashable, Codable {
    public var address: ResourceAddress
    public var region: String
    public var reason: String

    public init(address: ResourceAddress, region: String, reason: String) {
        self.address = address
        self.region = region
        self.reason = reason
    }
}

/// The plan document (SPEC 3): what `plan --output json` prints and `apply --plan` executes.
public struct Plan: Sendable, Hashable, Codable {
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    public var project: String
    public var mode: PlanMode
    public var summary: PlanSummary
    public var changes: [ResourceChange]
    public var steps: [PlanStep]
    /// Project resources that no manifest declares, left alone without `--prune`.
    public var notDeclared: [UnmanagedResource]
    /// Declared resources that `destroy` leaves in place (`deletionPolicy: Retain`).
    public var retained: [UnmanagedResource]
    /// The flags the plan was made with, so `apply --plan` re-reads live state the same way.
    public var options: SavedPlanOptions?
    /// Declared streams that were busy with an earlier change when read; nil when none, so
    /// plans without any read exactly as before.
    public var settled: [SettledRead]?
    /// What a reviewer should know that does not stop the plan; nil when none, so plans
    /// without any read exactly as before.
    public var warnings: [PlanWarning]?
    /// Resources whose resource policy grants a principal access it did not have; nil when none, so plans
    /// without any read exactly as before.
    public var accessChanges: [AccessChange]?

    public init(
        project: String, mode: PlanMode, changes: [ResourceChange], steps: [PlanStep],
        notDeclared: [UnmanagedResource] = [], retained: [UnmanagedResource] = []
    ) {
        self.formatVersion = Plan.currentFormatVersion
        self.project = project
        self.mode = mode
        self.summary = PlanSummary(changes: changes)
        self.changes = changes
        self.steps = steps
        self.notDeclared = notDeclared
        self.retained = retained
    }

    public var hasChanges: Bool { summary.total > 0 || !steps.isEmpty }

    /// The same plan without capacity and cost figures (`--no-cost`).
    public func withoutCapacity() -> Plan {
        var copy = self
        copy.summary.capacity = nil
        for index in copy.changes.indices { copy.changes[index].capacity = nil }
        return copy
    }
}

/// A declared resource that was busy with an earlier change when the plan read it: the plan
/// waited for that change to land and was made against the state it settled in.
public struct SettledRead: Sendable, Hashable, Codable {
    public var address: ResourceAddress
    public var region: String
    public var statusWhenRead: String

    public init(address: ResourceAddress, region: String, statusWhenRead: String) {
        self.address = address
        self.region = region
        self.statusWhenRead = statusWhenRead
    }

    public var description: String {
        "\(address) [\(region)] was \(statusWhenRead) (a change made earlier was in flight); "
            + "planned against the state it settled in"
    }
}
