/// What to plan for, beyond the manifests and the live state.
public struct PlanOptions: Sendable, Hashable {
    public var project: String
    public var mode: PlanMode
    /// Delete this project's live resources that are no longer declared.
    public var prune: Bool
    /// Take over declared resources that exist without this project's tag.
    public var adopt: Bool

    public init(project: String, mode: PlanMode = .apply, prune: Bool = false, adopt: Bool = false) {
        self.project = project
        self.mode = mode
        self.prune = prune
        self.adopt = adopt
    }
}
