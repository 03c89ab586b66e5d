import AWSClient
import Formats

/// The write steps a policy must allow: the planner run against made-up live states (nothing,
/// drifted above and below the manifests, failed stacks, everything owned) so that every step
/// it can emit for these manifests is seen without reading AWS.
extension PolicyGenerator {
    /// Every step the planner emits for these manifests against made-up live states.
    public static func plannedSteps(
        desired: DesiredState, regions: [ResourceAddress: String], mode: PlanMode
    ) throws(PolicyError) -> [PlanStep] {
        let variants: [(LiveState, adopt: Bool)] =
            mode == .apply
            ? [
                (LiveState(), false), (drifted(desired, regions, above: false), true),
                (drifted(desired, regions, above: true), true),
                (failedStacks(desired, regions), true)
            ]
            : [(owned(desired, regions), false)]
        var steps: [PlanStep] = []
        for (live, adopt) in variants {
            do {
                let plan = try Planner.plan(
                    desired: desired, regions: regions, live: live,
                    options: PlanOptions(project: syntheticProject, mode: mode, adopt: adopt))
                steps += plan.steps
            } catch {
                throw .planning(error.description)
            }
        }
        return steps
    }

    static let otherPolicy = ResourcePolicy(document: [
        "Version": "2012-10-17",
        "Statement": [
            ["Sid": "ReconcilePolicyOther", "Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"]
        ]
    ])

    static func streamARN(_ name: String, _ region: String) -> String {
        "arn:aws:kinesis:\(region):\(syntheticAccount):stream/\(name)"
    }

    static func stackWithTemplate(_ stack: StackSpec, _ desired: DesiredState, _ regions: [ResourceAddress: String])
        -> LiveStack
    {
        LiveStack(
            name: stack.name, region: regions[stack.address] ?? "",
            stackId: "arn:aws:cloudformation:x:\(syntheticAccount):stack/\(stack.name)/id",
            template: TemplateSynthesizer.template(for: stack, in: desired))
    }

    /// Every declared resource exists, unowned, and differs from the manifest in every
    /// property, all below (`above: false`) or all above the declared values.
    static func drifted(_ desired: DesiredState, _ regions: [ResourceAddress: String], above: Bool) -> LiveState {
        var live = LiveState()
        for stack in desired.stacks {
            var liveStack = stackWithTemplate(stack, desired, regions)
            liveStack.terminationProtection = !stack.terminationProtection
            if case .object(var template) = liveStack.template {
                template["Description"] = .string("changed outside reconcile")
                liveStack.template = .object(template)
            }
            live.stacks[stack.name] = liveStack
        }
        for stream in desired.streams {
            let region = regions[stream.address] ?? ""
            let retention =
                above ? min(8760, stream.retentionPeriodHours + 24) : max(24, stream.retentionPeriodHours - 24)
            var tags: [String: String] = [:]
            if above {
                tags = stream.tags.merging(
                    ["reconcile-policy-extra": "x"], uniquingKeysWith: { declared, _ in declared })
            }
            if stream.stack != nil { tags["aws:cloudformation:stack-name"] = stream.stack }
            // Above: consumers tagged with a tag no manifest declares (untag), lacking the declared ones (tag).
            let consumers: [LiveConsumer] =
                above
                ? desired.consumers(ofStream: stream.name).map {
                    LiveConsumer(
                        name: $0.name, arn: "\(streamARN(stream.name, region))/consumer/\($0.name):1",
                        tags: ["reconcile-policy-extra": "x"])
                } : []
            let policies = above && stream.stack == nil && desired.declaresResourcePolicies(stream: stream.name)
            if policies { tags[OwnershipTag.resourcePolicyKey] = OwnershipTag.resourcePolicyValue }
            var liveStream = LiveStream(
                name: stream.name, region: region, arn: streamARN(stream.name, region),
                mode: stream.mode == .provisioned ? .onDemand : .provisioned,
                openShardCount: (stream.shardCount ?? 1) + 1, retentionPeriodHours: retention,
                encryptionKeyId: above ? "reconcile-policy-other-key" : nil,
                shardLevelMetrics: above ? StreamSpec.allShardLevelMetrics : [], tags: tags, consumers: consumers)
            if policies {
                // Policies on the stream and every consumer, unlike any declared: a Put where one is
                // declared, a Delete where none is.
                liveStream.resourcePolicy = otherPolicy
                liveStream.consumerPolicies = Dictionary(uniqueKeysWithValues: consumers.map { ($0.name, otherPolicy) })
            }
            driftLimits(of: &liveStream, from: stream, above: above)
            live.streams[stream.name] = liveStream
        }
        return live
    }

    /// A different maximum record size; above, an on-demand stream keeps its mode with a different
    /// warm throughput, so that UpdateStreamWarmThroughput (which only an ON_DEMAND stream takes) is seen.
    static func driftLimits(of live: inout LiveStream, from stream: StreamSpec, above: Bool) {
        let size = stream.maxRecordSizeKiB ?? StreamSpec.defaultMaxRecordSizeKiB
        live.maxRecordSizeKiB =
            size == StreamSpec.defaultMaxRecordSizeKiB ? size + 1024 : StreamSpec.defaultMaxRecordSizeKiB
        if above && stream.mode == .onDemand {
            live.summary.streamMode = StreamMode.onDemand.rawValue
            live.warmThroughputMiBps = (stream.warmThroughputMiBps ?? 0) + 1
        }
    }

    /// Every declared stack failed its creation (ROLLBACK_COMPLETE): delete, then create.
    static func failedStacks(_ desired: DesiredState, _ regions: [ResourceAddress: String]) -> LiveState {
        var live = LiveState()
        for stack in desired.stacks {
            var liveStack = stackWithTemplate(stack, desired, regions)
            liveStack.status = "ROLLBACK_COMPLETE"
            liveStack.template = nil
            liveStack.tags = [OwnershipTag.key: syntheticProject]
            live.stacks[stack.name] = liveStack
        }
        return live
    }

    /// Everything declared exists and belongs to the project (what destroy deletes).
    static func owned(_ desired: DesiredState, _ regions: [ResourceAddress: String]) -> LiveState {
        var live = LiveState()
        for stack in desired.stacks {
            var liveStack = stackWithTemplate(stack, desired, regions)
            liveStack.tags = [OwnershipTag.key: syntheticProject]
            live.stacks[stack.name] = liveStack
        }
        for stream in desired.streams {
            let region = regions[stream.address] ?? ""
            live.streams[stream.name] = LiveStream(
                name: stream.name, region: region, arn: streamARN(stream.name, region), mode: stream.mode,
                openShardCount: stream.shardCount ?? 1, retentionPeriodHours: stream.retentionPeriodHours,
                tags: [OwnershipTag.key: syntheticProject],
                consumers: desired.consumers(ofStream: stream.name).map {
                    LiveConsumer(name: $0.name, arn: "\(streamARN(stream.name, region))/consumer/\($0.name):1")
                })
        }
        return live
    }
}
