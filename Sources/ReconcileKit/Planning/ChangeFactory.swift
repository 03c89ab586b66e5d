import Formats

/// One factory per kind of change, so each kind is built the same way wherever it is planned.
extension PlanBuilder {
    func creation(
        _ address: ResourceAddress, managedBy: ManagedBy, properties: [PropertyChange], fingerprint: String
    ) -> ResourceChange {
        ResourceChange(
            address: address, region: region(of: address), managedBy: managedBy, action: .create,
            properties: properties, liveFingerprint: fingerprint)
    }

    func consumerCreation(_ spec: ConsumerSpec, managedBy: ManagedBy, fingerprint: String) -> ResourceChange {
        creation(
            spec.address, managedBy: managedBy,
            properties: [
                PropertyChange(path: "stream", before: .null, after: .string(spec.stream)),
                PropertyChange(path: "consumerName", before: .null, after: .string(spec.name))
            ] + Self.consumerTagProperties(spec.tags),
            fingerprint: fingerprint)
    }

    /// An update, or a no-op when no property changes.
    func update(
        _ address: ResourceAddress, managedBy: ManagedBy, properties: [PropertyChange], drift: Bool = false,
        fingerprint: String, destructiveReasons: [DestructiveReason] = []
    ) -> ResourceChange {
        ResourceChange(
            address: address, region: region(of: address), managedBy: managedBy,
            action: properties.isEmpty ? .noop : .update, drift: drift, properties: properties,
            liveFingerprint: fingerprint, destructiveReasons: destructiveReasons)
    }

    /// A deletion, with the destructive reason of its resource kind.
    func deletion(
        _ address: ResourceAddress, region: String, managedBy: ManagedBy, properties: [PropertyChange] = [],
        fingerprint: String, notes: [String] = []
    ) -> ResourceChange {
        ResourceChange(
            address: address, region: region, managedBy: managedBy, action: .delete, properties: properties,
            liveFingerprint: fingerprint, destructiveReasons: [.deletion(of: address.kind)], notes: notes)
    }
}
