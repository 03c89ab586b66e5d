/// `metadata` as declared, with locations kept for cross-document checks.
struct DeclaredMetadata: Sendable, Hashable {
    var name: Located<String>
    var stack: Located<String>?
    var logicalId: Located<String>?
    var logicalIdKey: SourceLocation?
    var region: Located<String>?
    var dependsOn: [Located<String>]
}

/// One resource document after per-document validation, before the checks that need
/// every document (references, duplicates, cycles, logical ids).
enum Declaration: Sendable, Hashable {
    case stack(StackSpec, DeclaredMetadata, template: DeclaredTemplate)
    case stream(StreamSpec, DeclaredMetadata)
    case consumer(ConsumerSpec, DeclaredMetadata, stream: Located<String>)

    var metadata: DeclaredMetadata {
        switch self {
        case .stack(_, let metadata, _), .stream(_, let metadata), .consumer(_, let metadata, _): metadata
        }
    }

    var address: ResourceAddress {
        switch self {
        case .stack(let spec, _, _): spec.address
        case .stream(let spec, _): spec.address
        case .consumer(let spec, _, _): spec.address
        }
    }
}

/// The logical ids a stack's pass-through fragment declares, for collision checks.
struct DeclaredTemplate: Sendable, Hashable {
    var logicalIds: [Located<String>] = []
}
