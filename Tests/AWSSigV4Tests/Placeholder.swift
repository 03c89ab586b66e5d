import Testing

@Test func placeholderAWSSigV4Tests() { #expect(Bool(true)) }
