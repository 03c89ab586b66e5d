import Foundation
import Testing

@testable import AWSClient

@Suite("Native XML parser")
struct XMLDocumentParserTests {
    /// Parses with both parsers, records a difference, and gives the native tree.
    @discardableResult
    private func parseBoth(_ document: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> XMLNode {
        let bytes = Array(document.utf8)
        let native = try XMLDocumentParser.parse(bytes)
        let reference = XMLReferenceParser.parse(bytes)
        #expect(reference != nil, "Foundation rejects \(document)", sourceLocation: sourceLocation)
        #expect(native == reference, "the trees differ for \(document)", sourceLocation: sourceLocation)
        return native
    }

    @Test("a DescribeStacks answer with members, parameters, tags and outputs reads as Foundation reads it")
    func describeStacks() throws {
        let root = try parseBoth(XMLSamples.describeStacks)
        #expect(root.name == "DescribeStacksResponse")
        let stacks = root.at("DescribeStacksResult")?.members("Stacks") ?? []
        #expect(stacks.map { $0.text(of: "StackName") } == ["app", "data & logs"])
        #expect(stacks.first?.members("Parameters").compactMap { $0.text(of: "ParameterValue") } == ["2", "a<b"])
        #expect(stacks.first?.members("Tags").compactMap { $0.text(of: "Key") } == ["team", "env"])
        #expect(stacks.last?.members("Outputs").first?.text(of: "OutputValue") == "arn:aws:kinesis:x:1:stream/s")
        #expect(root.at("ResponseMetadata", "RequestId")?.text == "b9b4f9a1-0c5e-4f6a-9a53-1d2c3b4a5e6f")
    }

    @Test("a GetTemplate body keeps its escaped JSON, leading spaces, line ends and non-ASCII text")
    func getTemplate() throws {
        let root = try parseBoth(XMLSamples.getTemplate)
        let body = try #require(root.at("GetTemplateResult", "TemplateBody")?.text)
        #expect(body.hasPrefix("  {\n    \"Description\": \"caf\u{E9} \u{2713} & <tags> \u{E9}\u{2713}\","))
        #expect(body.hasSuffix("}\n  "))
        #expect(root.at("GetTemplateResult")?.members("StagesAvailable").map(\.text) == ["Original", "Processed"])
    }

    @Test("an ErrorResponse gives its type, code, message and request id")
    func errorResponse() throws {
        let root = try parseBoth(XMLSamples.errorResponse)
        let error = try #require(root.firstDescendant("Error"))
        #expect(error.text(of: "Type") == "Sender")
        #expect(error.text(of: "Code") == "ValidationError")
        #expect(error.text(of: "Message") == "Stack with id x does not exist")
        #expect(root.text(of: "RequestId") == "4af5a5d3-0f5e-11e9-9b4f-1b9c2e1e5f6a")
    }

    @Test("STS GetCallerIdentity and AssumeRoleWithWebIdentity answers read as Foundation reads them")
    func stsAnswers() throws {
        let identity = try parseBoth(XMLSamples.getCallerIdentity)
        #expect(identity.at("GetCallerIdentityResult", "Account")?.text == "123456789012")
        let assumed = try parseBoth(XMLSamples.assumeRoleWithWebIdentity)
        let credentials = assumed.at("AssumeRoleWithWebIdentityResult", "Credentials")
        #expect(credentials?.text(of: "AccessKeyId") == "ASIAEXAMPLE")
        #expect(credentials?.text(of: "SessionToken") == "token/with+slash==")
    }

    @Test("CDATA, comments, processing instructions, prefixes, self-closing tags and attributes are read")
    func markupVariety() throws {
        let root = try parseBoth(XMLSamples.markupVariety)
        #expect(root.name == "Root")
        #expect(root.text(of: "Data") == "raw <b> & \"text\" then escaped <")
        #expect(root.child("Empty")?.text == "")
        #expect(root.child("Value")?.text == "prefixed")
        #expect(root.child("Spaced")?.text == "  keep\n  me  ")
        #expect(root.text == "mixed")
        #expect(root.text(of: "Lines") == "a\nb\nc\r")
    }

    @Test("three hundred random documents read the same with both parsers")
    func randomDocuments() throws {
        var generator = RandomXMLDocument(seed: 0x5EED_2026)
        for _ in 0..<300 {
            let document = generator.document()
            let native = try XMLDocumentParser.parse(Array(document.utf8))
            let reference = XMLReferenceParser.parse(Array(document.utf8))
            #expect(native == reference, "the trees differ for \(document)")
        }
    }

    @Test(
        "malformed documents are rejected with a reason and an offset",
        arguments: [
            ("<a><b></a></b>", "mismatched end tag"), ("<a><b></b>", "unclosed element"),
            ("<a>&nbsp;</a>", "unknown entity"), ("<a>&#xZZ;</a>", "bad hexadecimal reference"),
            ("<a>&#0;</a>", "reference to a character XML forbids"), ("", "empty input"), ("  \n", "only white space"),
            ("<a x=\"<\"/>", "'<' in an attribute value"), ("<a x=\"1\" x=\"2\"/>", "a repeated attribute"),
            ("<a>x &amp y</a>", "a reference without ';'"), ("<a><!-- x -- y --></a>", "'--' in a comment"),
            ("<a>]]></a>", "']]>' in text"), ("<a x='1'y='2'/>", "attributes without space between"),
            ("<a>\u{1}</a>", "a control character"), ("<a><?xml version=\"1.0\"?></a>", "a late XML declaration"),
            ("<a><![CDATA[x</a>", "an unterminated CDATA section"), ("<a", "an unterminated start tag")
        ])
    func malformed(document: String, problem: String) throws {
        let bytes = Array(document.utf8)
        let error = #expect(throws: XMLParseError.self, "\(problem) is accepted") {
            try XMLDocumentParser.parse(bytes)
        }
        #expect(error.map { $0.offset >= 0 && $0.offset <= bytes.count && !$0.reason.isEmpty } == true)
        #expect(XMLReferenceParser.parse(bytes) == nil, "Foundation accepts \(problem)")
    }

    // Foundation's parser stops at the root's end tag and answers with the root, so only the native
    // parser is checked here.
    @Test(
        "text or a second element after the root is rejected where it starts",
        arguments: [("<a/>text", 4), ("<a></a>\n<b/>", 8), ("<a/><!-- c -->x", 14)])
    func contentAfterRoot(document: String, offset: Int) throws {
        let error = #expect(throws: XMLParseError.self) { try XMLDocumentParser.parse(Array(document.utf8)) }
        #expect(error?.offset == offset)
    }

    @Test("an error names the offending byte: the bad end tag, entity or element with invalid UTF-8")
    func errorOffsets() throws {
        let cases: [([UInt8], Int)] = [
            (Array("<a><b></a>".utf8), 6), (Array("<a>xy&nbsp;</a>".utf8), 5),
            (Array("<a><b>".utf8) + [0xC3, 0x28] + Array("</b></a>".utf8), 3)
        ]
        for (bytes, offset) in cases {
            let error = #expect(throws: XMLParseError.self) { try XMLDocumentParser.parse(bytes) }
            #expect(error?.offset == offset, "\(error.map(String.init(describing:)) ?? "no error")")
        }
    }
}
