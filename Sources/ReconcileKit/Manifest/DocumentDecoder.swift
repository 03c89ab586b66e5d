import AWSClient

/// Validates one manifest document on its own and turns it into a `Declaration`.
/// Checks that need other documents are left to `ManifestCrossChecker`.
struct DocumentDecoder {
    typealias Vocabulary = ManifestVocabulary

    static func decode(_ document: YAMLNode, diagnostics: inout DiagnosticCollector) -> Declaration? {
        guard let root = FieldReader(document, path: "", diagnostics: &diagnostics) else { return nil }
        root.rejectUnknownKeys(allowed: Vocabulary.documentKeys, diagnostics: &diagnostics)
        var headerValid = true
        if let apiVersion = root.required("apiVersion", diagnostics: &diagnostics) {
            if apiVersion.scalar?.text != Vocabulary.apiVersion {
                let found = apiVersion.scalar.map { "'\($0.text)'" } ?? apiVersion.typeDescription
                diagnostics.error(
                    at: apiVersion.location, "apiVersion must be '\(Vocabulary.apiVersion)', found \(found)")
                headerValid = false
            }
        } else {
            headerValid = false
        }
        var kind: ResourceKind? = nil
        if let kindNode = root.required("kind", diagnostics: &diagnostics) {
            kind = FieldReader.oneOf(kindNode, Vocabulary.kinds, path: "kind", diagnostics: &diagnostics)
                .flatMap { ResourceKind(rawValue: $0.value) }
        }
        guard let kind else { return nil }
        guard let metadataNode = root.required("metadata", diagnostics: &diagnostics),
            let metadataReader = FieldReader(metadataNode, path: "metadata", diagnostics: &diagnostics),
            let metadata = readMetadata(metadataReader, kind: kind, diagnostics: &diagnostics)
        else { return nil }

        let specNode: YAMLNode?
        if kind == .stack {
            specNode = root.value("spec")
        } else {
            specNode = root.required("spec", diagnostics: &diagnostics)
            if specNode == nil { return nil }
        }
        let specReader: FieldReader?
        if let specNode, !(kind == .stack && specNode.isNull) {
            guard let reader = FieldReader(specNode, path: "spec", diagnostics: &diagnostics) else { return nil }
            specReader = reader
        } else {
            specReader = nil
        }
        let location = metadata.name.location
        let declaration: Declaration?
        switch kind {
        case .stack:
            declaration = decodeStack(metadata, spec: specReader, location: location, diagnostics: &diagnostics)
        case .stream:
            guard let specReader else { return nil }
            declaration = decodeStream(metadata, spec: specReader, location: location, diagnostics: &diagnostics)
        case .streamConsumer:
            guard let specReader else { return nil }
            declaration = decodeConsumer(metadata, spec: specReader, location: location, diagnostics: &diagnostics)
        }
        return headerValid ? declaration : nil
    }

    // MARK: metadata

    private static func readMetadata(_ reader: FieldReader, kind: ResourceKind, diagnostics: inout DiagnosticCollector)
        -> DeclaredMetadata?
    {
        switch kind {
        case .stack:
            reader.rejectUnknownKeys(
                allowed: Vocabulary.stackMetadataKeys,
                misplaced: [
                    "stack": "metadata.stack is for streams; a Stack cannot be inside another stack",
                    "logicalId": "metadata.logicalId is for streams and consumers managed by a stack, not for a Stack"
                ], diagnostics: &diagnostics)
        case .stream:
            reader.rejectUnknownKeys(allowed: Vocabulary.streamMetadataKeys, diagnostics: &diagnostics)
        case .streamConsumer:
            reader.rejectUnknownKeys(
                allowed: Vocabulary.consumerMetadataKeys,
                misplaced: [
                    "stack": "metadata.stack is not allowed on a StreamConsumer: it is managed the way its stream is",
                    "region": "metadata.region is not allowed on a StreamConsumer: it lives in its stream's region"
                ], diagnostics: &diagnostics)
        }
        guard let nameNode = reader.required("name", diagnostics: &diagnostics),
            let name = FieldReader.string(nameNode, path: "metadata.name", diagnostics: &diagnostics)
        else { return nil }
        var nameValid = true
        switch kind {
        case .stack where !Vocabulary.isStackName(name.value):
            diagnostics.error(
                at: name.location,
                "stack name '\(name.value)' must start with a letter and hold only letters, digits and '-' (at most 128 characters)"
            )
            nameValid = false
        case .stream where !Vocabulary.isStreamName(name.value),
            .streamConsumer where !Vocabulary.isStreamName(name.value):
            diagnostics.error(
                at: name.location,
                "\(kind == .stream ? "stream" : "consumer") name '\(name.value)' must be 1 to 128 letters, digits, '_', '.' or '-'"
            )
            nameValid = false
        default: break
        }
        let stack = kind == .stream ? reader.string("stack", diagnostics: &diagnostics) : nil
        var logicalId: Located<String>? = nil
        if kind != .stack, let id = reader.string("logicalId", diagnostics: &diagnostics) {
            if Vocabulary.isLogicalId(id.value) {
                logicalId = id
            } else {
                diagnostics.error(
                    at: id.location, "metadata.logicalId '\(id.value)' must be 1 to 255 letters and digits")
            }
        }
        let region = kind == .streamConsumer ? nil : reader.string("region", diagnostics: &diagnostics)
        if let region, !isRegionName(region.value) {
            diagnostics.error(
                at: region.location, "metadata.region '\(region.value)' is not a region name such as eu-central-1")
        }
        var dependsOn: [Located<String>] = []
        if let entries = reader.list("dependsOn", diagnostics: &diagnostics) {
            for entry in entries {
                if let text = FieldReader.string(entry, path: "a metadata.dependsOn entry", diagnostics: &diagnostics) {
                    dependsOn.append(text)
                }
            }
        }
        guard nameValid else { return nil }
        return DeclaredMetadata(
            name: name, stack: stack, logicalId: logicalId, logicalIdKey: reader.pair("logicalId")?.key.location,
            region: region, dependsOn: dependsOn)
    }

    private static func isRegionName(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 32
            && text.utf8.allSatisfy { $0.isASCIILowercase || $0.isASCIIDigit || $0 == UInt8(ascii: "-") }
            && text.utf8.contains(UInt8(ascii: "-"))
    }
}
