import AWSClient

/// The `spec` of each kind: what a Stack, Stream and StreamConsumer document declares, with
/// every problem reported at its value.
extension DocumentDecoder {
    static func decodeStack(
        _ metadata: DeclaredMetadata, spec: FieldReader?, location: SourceLocation,
        diagnostics: inout DiagnosticCollector
    ) -> Declaration {
        var stack = StackSpec(name: metadata.name.value, region: metadata.region?.value, location: location)
        var template = DeclaredTemplate()
        guard let spec else { return .stack(stack, metadata, template: template) }
        spec.rejectUnknownKeys(allowed: Vocabulary.stackSpecKeys, diagnostics: &diagnostics)
        if let description = spec.string("description", diagnostics: &diagnostics) {
            if description.value.utf8.count > Vocabulary.maximumDescriptionLength {
                diagnostics.error(
                    at: description.location,
                    "spec.description must be at most \(Vocabulary.maximumDescriptionLength) bytes, found \(description.value.utf8.count)"
                )
            }
            stack.description = description.value
        }
        stack.tags = readTags(spec, rules: TagRules(owner: .stack), diagnostics: &diagnostics)
        stack.terminationProtection = spec.bool("terminationProtection", diagnostics: &diagnostics) ?? false
        var capabilities: [String] = []
        for item in spec.list("capabilities", diagnostics: &diagnostics) ?? [] {
            if let capability = FieldReader.oneOf(
                item, Vocabulary.capabilities, path: "a spec.capabilities entry", diagnostics: &diagnostics),
                !capabilities.contains(capability.value)
            {
                capabilities.append(capability.value)
            }
        }
        stack.capabilities = capabilities.sorted()
        var fragment = TemplateFragmentReader.Result()
        if let templateNode = spec.value("template"), !templateNode.isNull {
            fragment = TemplateFragmentReader.read(templateNode, path: "spec.template", diagnostics: &diagnostics)
            stack.template = fragment.sections
            template.logicalIds = fragment.logicalIds
        }
        var parameters: [String: String] = [:]
        for entry in spec.stringMap("parameters", diagnostics: &diagnostics) ?? [] {
            guard fragment.parameterNames[entry.key.value] != nil else {
                let declared = fragment.parameterNames.keys.sorted()
                diagnostics.error(
                    at: entry.key.location,
                    "parameter '\(entry.key.value)' is not declared in spec.template.Parameters\(Suggestion.hint(for: entry.key.value, among: declared))"
                )
                continue
            }
            parameters[entry.key.value] = entry.value.value
        }
        for required in fragment.parametersWithoutDefault where parameters[required.value] == nil {
            diagnostics.error(
                at: required.location,
                "parameter '\(required.value)' has no Default and no value in spec.parameters")
        }
        stack.parameters = parameters
        return .stack(stack, metadata, template: template)
    }

    static func decodeStream(
        _ metadata: DeclaredMetadata, spec: FieldReader, location: SourceLocation,
        diagnostics: inout DiagnosticCollector
    ) -> Declaration {
        spec.rejectUnknownKeys(allowed: Vocabulary.streamSpecKeys, diagnostics: &diagnostics)
        let declaredMode = spec.oneOf("streamMode", Vocabulary.streamModes, diagnostics: &diagnostics)
            .flatMap { StreamMode(rawValue: $0.value) }
        // An invalid streamMode was reported; do not pile a shardCount error on top.
        let modeKnown = declaredMode != nil || spec.value("streamMode") == nil
        let mode = declaredMode ?? .provisioned
        let shardCount = spec.integer("shardCount", in: Vocabulary.shardCountRange, diagnostics: &diagnostics)
        if mode == .onDemand, let key = spec.pair("shardCount")?.key {
            diagnostics.error(
                at: key.location,
                "spec.shardCount is not allowed with streamMode ON_DEMAND (Kinesis manages the shards)")
        }
        if modeKnown && mode == .provisioned && spec.pair("shardCount") == nil {
            diagnostics.error(
                at: spec.value("streamMode")?.location ?? spec.node.location,
                "missing required key 'spec.shardCount' (required for streamMode PROVISIONED, the default)")
        }
        let retention = spec.integer("retentionPeriodHours", in: Vocabulary.retentionRange, diagnostics: &diagnostics)
        let encryption = readEncryption(spec, diagnostics: &diagnostics)
        let limits = readStreamLimits(spec, mode: modeKnown ? mode : nil, diagnostics: &diagnostics)
        var metrics: [String] = []
        var allEntry: YAMLNode? = nil
        let metricNodes = spec.list("shardLevelMetrics", diagnostics: &diagnostics) ?? []
        for item in metricNodes {
            guard
                let metric = FieldReader.oneOf(
                    item, Vocabulary.shardLevelMetrics, path: "a spec.shardLevelMetrics entry",
                    diagnostics: &diagnostics)
            else { continue }
            if metric.value == "ALL" {
                allEntry = item
            } else if !metrics.contains(metric.value) {
                metrics.append(metric.value)
            }
        }
        if let allEntry {
            if metricNodes.count > 1 {
                diagnostics.error(
                    at: allEntry.location, "ALL cannot be combined with other shard-level metrics; use [ALL] alone")
            }
            metrics = StreamSpec.allShardLevelMetrics
        }
        let deletionPolicy =
            spec.oneOf("deletionPolicy", Vocabulary.deletionPolicies, diagnostics: &diagnostics)
            .flatMap { DeletionPolicy(rawValue: $0.value) } ?? .delete
        var stream = StreamSpec(
            name: metadata.name.value, stack: metadata.stack?.value, logicalId: metadata.logicalId?.value,
            region: metadata.region?.value, mode: mode, shardCount: shardCount?.value ?? 1,
            retentionPeriodHours: retention?.value ?? 24, encryption: encryption, shardLevelMetrics: metrics,
            tags: readTags(spec, rules: TagRules(owner: .stream), diagnostics: &diagnostics),
            deletionPolicy: deletionPolicy, maxRecordSizeKiB: limits.maxRecordSizeKiB,
            warmThroughputMiBps: limits.warmThroughputMiBps, location: location)
        stream.resourcePolicy = readResourcePolicy(spec, diagnostics: &diagnostics)
        return .stream(stream, metadata)
    }

    static func readEncryption(_ spec: FieldReader, diagnostics: inout DiagnosticCollector) -> StreamEncryption {
        guard let node = spec.value("encryption"), !node.isNull,
            let reader = FieldReader(node, path: "spec.encryption", diagnostics: &diagnostics)
        else { return .none }
        reader.rejectUnknownKeys(allowed: Vocabulary.encryptionKeys, diagnostics: &diagnostics)
        guard let typeNode = reader.required("type", diagnostics: &diagnostics),
            let type = FieldReader.oneOf(
                typeNode, Vocabulary.encryptionTypes, path: "spec.encryption.type", diagnostics: &diagnostics)
        else { return .none }
        let keyId = reader.string("keyId", diagnostics: &diagnostics)
        if type.value == "NONE" {
            if let key = reader.pair("keyId")?.key {
                diagnostics.error(at: key.location, "spec.encryption.keyId is not allowed with encryption type NONE")
            }
            return .none
        }
        guard let keyId else {
            if reader.pair("keyId") == nil {
                diagnostics.error(
                    at: type.location, "encryption type KMS requires spec.encryption.keyId (e.g. alias/aws/kinesis)")
            }
            return .none
        }
        guard !keyId.value.isEmpty, keyId.value.utf8.count <= 2048 else {
            diagnostics.error(at: keyId.location, "spec.encryption.keyId must be 1 to 2048 characters")
            return .none
        }
        return .kms(keyId: keyId.value)
    }

    static func decodeConsumer(
        _ metadata: DeclaredMetadata, spec: FieldReader, location: SourceLocation,
        diagnostics: inout DiagnosticCollector
    ) -> Declaration? {
        spec.rejectUnknownKeys(allowed: Vocabulary.consumerSpecKeys, diagnostics: &diagnostics)
        guard let streamNode = spec.required("stream", diagnostics: &diagnostics),
            let stream = FieldReader.string(streamNode, path: "spec.stream", diagnostics: &diagnostics)
        else { return nil }
        var consumer = ConsumerSpec(
            name: metadata.name.value, stream: stream.value, logicalId: metadata.logicalId?.value,
            tags: readTags(spec, rules: TagRules(owner: .consumer), diagnostics: &diagnostics), location: location)
        consumer.resourcePolicy = readResourcePolicy(spec, diagnostics: &diagnostics)
        return .consumer(consumer, metadata, stream: stream)
    }

    /// `spec.tags`: at most 49 (reconcile's ownership tag is AWS's 50th), key 1..128 and value 0..255
    /// characters in AWS's documented character set (`TagRules`); `reconcile:` and `aws:` prefixes are
    /// reserved. Scalar values keep their text (`1.0` stays "1.0").
    static func readTags(
        _ spec: FieldReader, rules: TagRules, diagnostics: inout DiagnosticCollector
    ) -> [String: String] {
        guard let entries = spec.stringMap("tags", diagnostics: &diagnostics) else { return [:] }
        var tags: [String: String] = [:]
        for (position, (key, value)) in entries.enumerated() {
            if let excess = rules.excessTagMessage(at: position + 1) {
                diagnostics.error(at: key.location, excess)
            }
            if let problem = tagKeyProblem(key.value, rules: rules) {
                diagnostics.error(at: key.location, problem)
                continue
            }
            if let problem = rules.valueProblem(value.value) {
                diagnostics.error(at: value.location, problem)
                continue
            }
            tags[key.value] = value.value
        }
        return tags
    }

    static func tagKeyProblem(_ key: String, rules: TagRules) -> String? {
        if key.isEmpty || key.count > TagRules.maximumKeyLength {
            return "tag key must be 1 to \(TagRules.maximumKeyLength) characters, found \(key.count)"
        }
        if key.hasPrefix("reconcile:") {
            return "tag key '\(key)' is reserved: the reconcile: prefix is managed by reconcile (the project tag)"
        }
        if key.lowercased().hasPrefix("aws:") {
            return "tag key '\(key)' is reserved: the aws: prefix belongs to AWS"
        }
        return rules.keyCharacterProblem(key)
    }
}
