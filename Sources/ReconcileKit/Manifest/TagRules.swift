/// AWS's documented tag limits for the resource a manifest declares, checked at validate time so that a
/// tag AWS would refuse is reported at its line and column instead of failing half-way through an apply.
struct TagRules: Sendable {
    /// Which AWS service keeps the tags: the rules differ between Kinesis streams and CloudFormation stacks.
    enum Owner: Sendable {
        case stream, stack
        /// An enhanced fan-out consumer: Kinesis's rules, tagged by ARN, and no ownership tag.
        case consumer
    }

    let owner: Owner

    /// AWS allows 50 tags per stream and per stack; reconcile's ownership tag (`reconcile:project`) is one.
    static let maximumDeclaredTags = 49
    /// Consumers carry no ownership tag: all 50 of AWS's are the manifest's.
    static let maximumConsumerTags = 50
    static let maximumKeyLength = 128
    static let maximumValueLength = 255

    /// Besides letters, digits and white space. Kinesis documents `_ . / = + - % @` (its reserved `aws:`
    /// prefix shows the colon is accepted too); stack tags, which CloudFormation propagates to every
    /// resource, follow AWS's general tag rule `_ . : / = + - @`.
    var symbols: String {
        switch owner {
        case .stream, .consumer: "_./=+-%@:"
        case .stack: "_.:/=+-@"
        }
    }

    var ownerDescription: String {
        switch owner {
        case .stream: "Kinesis stream tags"
        case .stack: "CloudFormation stack tags"
        case .consumer: "Kinesis consumer tags"
        }
    }

    /// Why the `count`-th declared tag is one too many, or nil while there is room.
    func excessTagMessage(at count: Int) -> String? {
        if owner == .consumer {
            guard count == Self.maximumConsumerTags + 1 else { return nil }
            return "spec.tags: at most \(Self.maximumConsumerTags) tags may be declared; this is the \(count)th: "
                + "AWS allows 50 per consumer"
        }
        guard count == Self.maximumDeclaredTags + 1 else { return nil }
        return "spec.tags: at most \(Self.maximumDeclaredTags) tags may be declared; this is the "
            + "\(count)th: AWS allows 50 per \(owner == .stream ? "stream" : "stack") and reconcile adds its "
            + "ownership tag reconcile:project as the 50th"
    }

    /// Why a tag value is refused, or nil.
    func valueProblem(_ value: String) -> String? {
        if owner == .stack, value.isEmpty {
            return "stack tag value must not be empty: CloudFormation requires at least 1 character "
                + "(stream tags may be empty)"
        }
        if value.count > Self.maximumValueLength {
            return "tag value must be at most \(Self.maximumValueLength) characters, found \(value.count)"
        }
        return characterProblem(value, what: "tag value")
    }

    /// Why a tag key's characters are refused, or nil (length and reserved prefixes are checked apart).
    func keyCharacterProblem(_ key: String) -> String? {
        characterProblem(key, what: "tag key")
    }

    private func characterProblem(_ text: String, what: String) -> String? {
        guard let bad = text.first(where: { !isAllowed($0) }) else { return nil }
        let spaced = symbols.map(String.init).joined(separator: " ")
        return "\(what) '\(text)' contains '\(bad)', which AWS does not allow in \(ownerDescription) "
            + "(letters, digits, white space and \(spaced))"
    }

    private func isAllowed(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character.isWhitespace || symbols.contains(character)
    }
}
