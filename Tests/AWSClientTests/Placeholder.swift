import Testing

@Test func placeholderAWSClientTests() { #expect(Bool(true)) }
