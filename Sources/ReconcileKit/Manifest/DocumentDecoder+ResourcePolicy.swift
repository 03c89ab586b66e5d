import Formats

/// `spec.resourcePolicy` of a Stream or a StreamConsumer: an IAM policy document written as YAML.
/// Checked against IAM's policy grammar for resource-based policies (every statement has an Effect, a
/// Principal or NotPrincipal, an Action or NotAction and a Resource or NotResource) and AWS's size
/// limit, each problem at its value. Scalars are kept as written text: IAM reads every policy value as
/// a string, and an account id such as `012345678901` must keep its leading zero.
extension DocumentDecoder {
    static let policyKeys = ["Version", "Id", "Statement"]
    static let policyVersions = ["2012-10-17", "2008-10-17"]
    static let statementKeys = [
        "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"
    ]

    static func readResourcePolicy(_ spec: FieldReader, diagnostics: inout DiagnosticCollector) -> ResourcePolicy? {
        guard let node = spec.value("resourcePolicy") else { return nil }
        let path = spec.fieldPath("resourcePolicy")
        guard node.mapping != nil else {
            diagnostics.error(
                at: node.location, "\(path) must be a mapping (an IAM policy document), found \(node.typeDescription)")
            return nil
        }
        guard let reader = FieldReader(node, path: path, diagnostics: &diagnostics) else { return nil }
        let before = diagnostics.diagnostics.count
        reader.rejectUnknownKeys(allowed: policyKeys, diagnostics: &diagnostics)
        _ = reader.oneOf("Version", policyVersions, diagnostics: &diagnostics)
        _ = reader.string("Id", diagnostics: &diagnostics)
        if let statements = reader.required("Statement", diagnostics: &diagnostics) {
            let items = statements.sequence ?? [statements]
            if items.isEmpty {
                diagnostics.error(at: statements.location, "\(path).Statement must hold at least one statement")
            }
            for (index, item) in items.enumerated() {
                checkStatement(item, path: "\(path).Statement[\(index)]", diagnostics: &diagnostics)
            }
        }
        guard let document = policyJSON(node, path: path, diagnostics: &diagnostics),
            diagnostics.diagnostics.count == before
        else { return nil }
        let policy = ResourcePolicy(document: document)
        let size = policy.policyText.utf8.count
        if size > ResourcePolicy.maximumBytes {
            diagnostics.error(
                at: node.location,
                "\(path) is \(size) bytes as JSON; AWS allows at most \(ResourcePolicy.maximumBytes) bytes per resource policy"
            )
            return nil
        }
        return policy
    }

    static func checkStatement(_ node: YAMLNode, path: String, diagnostics: inout DiagnosticCollector) {
        guard let statement = FieldReader(node, path: path, diagnostics: &diagnostics) else { return }
        statement.rejectUnknownKeys(allowed: statementKeys, diagnostics: &diagnostics)
        _ = statement.string("Sid", diagnostics: &diagnostics)
        if statement.value("Effect") == nil {
            diagnostics.error(at: node.location, "missing required key '\(path).Effect' (Allow or Deny)")
        } else {
            _ = statement.oneOf("Effect", ["Allow", "Deny"], diagnostics: &diagnostics)
        }
        let required = [
            ("Principal", "NotPrincipal", "who the statement applies to: a resource policy must name its principals"),
            ("Action", "NotAction", "the kinesis: actions it allows or denies"),
            ("Resource", "NotResource", "the stream or consumer ARN")
        ]
        for (key, alternative, meaning) in required {
            let present = [key, alternative].filter { statement.value($0) != nil }
            if present.isEmpty {
                diagnostics.error(at: node.location, "missing required key '\(path).\(key)' (\(meaning))")
            } else if present.count == 2, let pair = statement.pair(alternative) {
                diagnostics.error(at: pair.key.location, "\(path) may have \(key) or \(alternative), not both")
            }
        }
        for key in ["Action", "NotAction", "Resource", "NotResource"] {
            if let value = statement.value(key) {
                checkStrings(value, path: "\(path).\(key)", diagnostics: &diagnostics)
            }
        }
        for key in ["Principal", "NotPrincipal"] {
            if let value = statement.value(key) {
                checkPrincipal(value, path: "\(path).\(key)", diagnostics: &diagnostics)
            }
        }
        if let condition = statement.value("Condition"),
            condition.mapping?.allSatisfy({ $0.value.mapping != nil }) != true
        {
            diagnostics.error(
                at: condition.location,
                "\(path).Condition must map condition operators to mappings of keys and values, found \(condition.typeDescription)"
            )
        }
    }

    /// A string or a non-empty list of strings (IAM's form for actions, resources and principal values).
    static func checkStrings(_ node: YAMLNode, path: String, diagnostics: inout DiagnosticCollector) {
        let items = node.sequence ?? [node]
        guard !items.isEmpty, items.allSatisfy({ $0.scalar != nil && !$0.isNull }) else {
            diagnostics.error(at: node.location, "\(path) must be a string or a non-empty list of strings")
            return
        }
    }

    /// `"*"`, or a mapping of principal types (`AWS`, `Service`, `Federated`, `CanonicalUser`) to strings.
    static func checkPrincipal(_ node: YAMLNode, path: String, diagnostics: inout DiagnosticCollector) {
        if let scalar = node.scalar, scalar.text == "*" { return }
        guard let pairs = node.mapping, !pairs.isEmpty else {
            diagnostics.error(
                at: node.location,
                "\(path) must be \"*\" or a mapping such as {AWS: arn:aws:iam::111122223333:root}, found \(node.typeDescription)"
            )
            return
        }
        for pair in pairs {
            let type = pair.key.scalar?.text ?? ""
            guard principalTypes.contains(type) else {
                diagnostics.error(
                    at: pair.key.location,
                    "\(path) has unknown principal type '\(type)' (expected one of \(principalTypes.joined(separator: ", ")))"
                )
                continue
            }
            checkStrings(pair.value, path: "\(path).\(type)", diagnostics: &diagnostics)
        }
    }

    static let principalTypes = ["AWS", "Service", "Federated", "CanonicalUser"]

    /// The document as JSON, every scalar as its text; nulls and YAML tags are refused.
    static func policyJSON(_ node: YAMLNode, path: String, diagnostics: inout DiagnosticCollector) -> JSONValue? {
        if node.collectionTag.map({ !$0.hasPrefix("tag:yaml.org,2002:") }) ?? false {
            diagnostics.error(at: node.location, "\(path): YAML tags (such as !Ref) are not allowed in a policy")
            return nil
        }
        switch node.content {
        case .scalar(let scalar):
            if let tag = scalar.tag, !tag.hasPrefix("tag:yaml.org,2002:") {
                diagnostics.error(at: node.location, "\(path): YAML tags (such as !Ref) are not allowed in a policy")
                return nil
            }
            guard scalar.resolvedType != .null else {
                diagnostics.error(at: node.location, "\(path) has no value")
                return nil
            }
            return .string(scalar.text)
        case .sequence(let items):
            var values: [JSONValue] = []
            for (index, item) in items.enumerated() {
                guard let value = policyJSON(item, path: "\(path)[\(index)]", diagnostics: &diagnostics) else {
                    return nil
                }
                values.append(value)
            }
            return .array(values)
        case .mapping(let pairs):
            var members: [String: JSONValue] = [:]
            for pair in pairs {
                guard let key = pair.key.scalar?.text else { return nil }
                guard let value = policyJSON(pair.value, path: "\(path).\(key)", diagnostics: &diagnostics) else {
                    return nil
                }
                members[key] = value
            }
            return .object(members)
        }
    }
}
