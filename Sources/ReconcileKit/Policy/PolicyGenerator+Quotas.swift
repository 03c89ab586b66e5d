extension PolicyGenerator {
    /// DescribeLimits in every region with a declared stream: plan and apply read the account's
    /// Kinesis quotas there before they open shards or on-demand streams. The action has no
    /// resource type, so its statement is account-wide.
    static func quotaGrants(desired: DesiredState, regions: [ResourceAddress: String]) -> [Grant] {
        let streamRegions = Set(desired.streams.compactMap { regions[$0.address] })
        return streamRegions.sorted().map { region in
            (
                "ReadAccountKinesisQuotasBeforeOpeningShardsNoResourceLevelScopeExists",
                AWSCall(.describeLimits, region: region, .account)
            )
        }
    }
}
