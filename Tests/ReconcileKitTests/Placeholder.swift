import Testing

@Test func placeholderReconcileKitTests() { #expect(Bool(true)) }
