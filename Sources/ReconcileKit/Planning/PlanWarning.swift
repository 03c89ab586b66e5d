/// Something a reviewer should know before applying that does not stop the plan.
public struct PlanWarning: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// One stream's resize needs more UpdateShardCount calls than AWS allows per day.
        case reshardingRoundsOverDailyLimit
    }

    public var kind: Kind
    public var address: ResourceAddress
    public var region: String
    public var message: String

    public init(kind: Kind, address: ResourceAddress, region: String, message: String) {
        self.kind = kind
        self.address = address
        self.region = region
        self.message = message
    }
}
