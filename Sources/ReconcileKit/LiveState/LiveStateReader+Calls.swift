import AWSClient

extension LiveStateReader {
    /// Every call `read(desired:…)` makes for these manifests (kept next to `read`, whose
    /// branches it mirrors): the reads plan, apply and destroy need.
    public static func calls(
        desired: DesiredState, regions: [ResourceAddress: String], discoverUndeclared: Bool, readAllConsumers: Bool
    ) -> [AWSCall] {
        var calls: [AWSCall] = []
        for stack in desired.stacks {
            let region = regions[stack.address] ?? ""
            calls.append(AWSCall(.describeStacks, region: region, .stack(stack.name)))
            calls.append(AWSCall(.getTemplate, region: region, .stack(stack.name)))
        }
        for stream in desired.streams {
            let region = regions[stream.address] ?? ""
            calls.append(AWSCall(.describeStreamSummary, region: region, .stream(stream.name)))
            calls.append(AWSCall(.listTagsForStream, region: region, .stream(stream.name)))
            if stream.stack == nil && (readAllConsumers || !desired.consumers(ofStream: stream.name).isEmpty) {
                calls.append(AWSCall(.listStreamConsumers, region: region, .stream(stream.name)))
            }
            if stream.stack == nil {
                for consumer in desired.consumers(ofStream: stream.name) {
                    let target = AWSCall.Resource.consumer(stream: stream.name, name: consumer.name)
                    calls.append(AWSCall(.listTagsForResource, region: region, target))
                }
            }
        }
        if discoverUndeclared {
            for region in Set(regions.values).sorted() {
                calls.append(AWSCall(.describeStacks, region: region, .account))
                calls.append(AWSCall(.listStreams, region: region, .account))
                // Tags of every stream not declared, to find this project's; then the summary
                // of those; and the template of every undeclared stack tagged for the project.
                calls.append(AWSCall(.listTagsForStream, region: region, .everyStream))
                calls.append(AWSCall(.describeStreamSummary, region: region, .everyStream))
                calls.append(AWSCall(.getTemplate, region: region, .everyStack))
            }
        }
        return calls
    }
}
