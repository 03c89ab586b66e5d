import Foundation

/// Turns an `Encodable` value into a `JSONValue`, the tree `JSONEncoder` would serialize, so
/// `JSONWriter` can write the encoder's bytes without the encoder.
///
/// Plan fingerprints hash `JSONEncoder` output of live state, and a live stack carries its whole
/// template as a `JSONValue`: the encoder walked every template node through `Encodable`, the
/// largest share of planning a 1,000-stream project. Here a nested `JSONValue` is taken as it is.
///
/// What differs from `JSONEncoder`, none of which the fingerprinted types hold: `Date`, `Data`
/// and `URL` encode through their own conformances rather than the encoder's strategies, and an
/// unsigned integer above `Int.max` is refused.
public enum JSONValueEncoder {
    public static func encode<Value: Encodable>(_ value: Value) throws -> JSONValue {
        if let json = value as? JSONValue { return json }
        let slot = Slot()
        try value.encode(to: TreeEncoder(slot: slot, codingPath: []))
        return slot.value
    }
}

/// One value under construction; containers hold their members' slots until the tree is read.
private final class Slot {
    enum Content {
        case unset
        case leaf(JSONValue)
        case object([String: Slot])
        case array([Slot])
    }

    var content = Content.unset

    /// `JSONEncoder` writes an empty object for a value that encoded nothing.
    var value: JSONValue {
        switch content {
        case .unset: .object([:])
        case .leaf(let leaf): leaf
        case .object(let members): .object(members.mapValues(\.value))
        case .array(let elements): .array(elements.map(\.value))
        }
    }

    // Each takes the container out of `content` before changing it, so it is changed in place
    // rather than copied once per member.
    func member(_ key: String) -> Slot {
        var members: [String: Slot] = [:]
        if case .object(let existing) = content { members = existing }
        content = .unset
        let slot = Slot()
        members[key] = slot
        content = .object(members)
        return slot
    }

    func appended() -> Slot {
        var elements: [Slot] = []
        if case .array(let existing) = content { elements = existing }
        content = .unset
        let slot = Slot()
        elements.append(slot)
        content = .array(elements)
        return slot
    }

    func makeObject() { if case .object = content {} else { content = .object([:]) } }
    func makeArray() { if case .array = content {} else { content = .array([]) } }

    func store<Value: Encodable>(_ value: Value, codingPath: [any CodingKey]) throws {
        if let json = value as? JSONValue {
            content = .leaf(json)
        } else {
            try value.encode(to: TreeEncoder(slot: self, codingPath: codingPath))
        }
    }

    func store(integer value: some BinaryInteger, codingPath: [any CodingKey]) throws {
        guard let exact = Int(exactly: value) else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: codingPath, debugDescription: "an integer beyond Int's range"))
        }
        content = .leaf(.int(exact))
    }
}

private struct TreeEncoder: Encoder {
    let slot: Slot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        slot.makeObject()
        return KeyedEncodingContainer(KeyedSlots<Key>(slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        slot.makeArray()
        return UnkeyedSlots(slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleSlot(slot: slot, codingPath: codingPath) }
}

private struct KeyedSlots<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: Slot
    let codingPath: [any CodingKey]

    private func leaf(_ value: JSONValue, _ key: Key) { slot.member(key.stringValue).content = .leaf(value) }

    mutating func encodeNil(forKey key: Key) throws { leaf(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { leaf(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { leaf(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { leaf(.double(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { leaf(.double(Double("\(value)") ?? 0), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { leaf(.int(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { leaf(.int(Int(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { leaf(.int(Int(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { leaf(.int(Int(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { leaf(.int(Int(value)), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { leaf(.int(Int(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { leaf(.int(Int(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { leaf(.int(Int(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try integer(value, key) }

    mutating func encode<Value: Encodable>(_ value: Value, forKey key: Key) throws {
        try slot.member(key.stringValue).store(value, codingPath: codingPath + [key])
    }

    private func integer(_ value: some BinaryInteger, _ key: Key) throws {
        try slot.member(key.stringValue).store(integer: value, codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        TreeEncoder(slot: slot.member(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        TreeEncoder(slot: slot.member(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        TreeEncoder(slot: slot.member("super"), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        TreeEncoder(slot: slot.member(key.stringValue), codingPath: codingPath + [key])
    }
}

/// The leaf encodings that unkeyed and single-value containers share: each stores a leaf where
/// the container puts its next value.
private protocol LeafStoring {
    var codingPath: [any CodingKey] { get }
    /// The slot the next value goes to.
    func nextSlot() -> Slot
}

extension LeafStoring {
    private func leaf(_ value: JSONValue) { nextSlot().content = .leaf(value) }

    mutating func encodeNil() throws { leaf(.null) }
    mutating func encode(_ value: Bool) throws { leaf(.bool(value)) }
    mutating func encode(_ value: String) throws { leaf(.string(value)) }
    mutating func encode(_ value: Double) throws { leaf(.double(value)) }
    mutating func encode(_ value: Float) throws { leaf(.double(Double("\(value)") ?? 0)) }
    mutating func encode(_ value: Int) throws { leaf(.int(value)) }
    mutating func encode(_ value: Int8) throws { leaf(.int(Int(value))) }
    mutating func encode(_ value: Int16) throws { leaf(.int(Int(value))) }
    mutating func encode(_ value: Int32) throws { leaf(.int(Int(value))) }
    mutating func encode(_ value: Int64) throws { leaf(.int(Int(value))) }
    mutating func encode(_ value: UInt) throws { try nextSlot().store(integer: value, codingPath: codingPath) }
    mutating func encode(_ value: UInt8) throws { leaf(.int(Int(value))) }
    mutating func encode(_ value: UInt16) throws { leaf(.int(Int(value))) }
    mutating func encode(_ value: UInt32) throws { leaf(.int(Int(value))) }
    mutating func encode(_ value: UInt64) throws { try nextSlot().store(integer: value, codingPath: codingPath) }

    mutating func encode<Value: Encodable>(_ value: Value) throws {
        try nextSlot().store(value, codingPath: codingPath)
    }
}

private struct UnkeyedSlots: UnkeyedEncodingContainer, LeafStoring {
    let slot: Slot
    let codingPath: [any CodingKey]
    var count: Int {
        if case .array(let elements) = slot.content { return elements.count }
        return 0
    }

    func nextSlot() -> Slot { slot.appended() }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        TreeEncoder(slot: slot.appended(), codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        TreeEncoder(slot: slot.appended(), codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { TreeEncoder(slot: slot.appended(), codingPath: codingPath) }
}

private struct SingleSlot: SingleValueEncodingContainer, LeafStoring {
    let slot: Slot
    let codingPath: [any CodingKey]

    func nextSlot() -> Slot { slot }
}
