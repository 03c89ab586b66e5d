import AWSSigV4
import Formats
import Foundation
import TestSupport
import Testing

@testable import AWSClient

/// Our signatures must equal botocore's `SigV4Auth` for the same request: the client signs a
/// request (fixed clock) that a scripted server captures, and botocore signs the captured
/// method, URL, headers and body.
@Suite("Signatures agree with botocore")
struct BotocoreSignatureTests {
    static let fixedDate = Date(timeIntervalSince1970: 1_714_564_800)  // 2024-05-01T12:00:00Z

    struct Case: Sendable, CustomTestStringConvertible {
        var service: AWSService
        var operation: String
        var input: JSONValue
        var sessionToken: String?
        var testDescription: String {
            "\(service.rawValue):\(operation)\(sessionToken == nil ? "" : " with session token")"
        }
    }

    static let cases: [Case] = [
        Case(service: .kinesis, operation: "CreateStream", input: ["StreamName": "orders", "ShardCount": 2]),
        Case(
            service: .kinesis, operation: "AddTagsToStream", input: ["StreamName": "orders", "Tags": ["a b": "c/d+é"]],
            sessionToken: "FQoGZXIvYXdzEXAMPLE//token=="),
        Case(service: .kinesis, operation: "ListStreams", input: [:]),
        Case(
            service: .cloudformation, operation: "CreateStack",
            input: [
                "StackName": "app", "TemplateBody": "{\"Resources\": {}}\n",
                "Tags": [["Key": "team", "Value": "data & ops"]],
                "Capabilities": ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"]
            ]),
        Case(service: .cloudformation, operation: "DescribeStacks", input: ["StackName": "app"], sessionToken: "token"),
        Case(service: .sts, operation: "GetCallerIdentity", input: [:]),
        Case(
            service: .tagging, operation: "GetResources",
            input: ["ResourceTypeFilters": ["kinesis:stream"], "ResourcesPerPage": 100])
    ]

    @Test("the Authorization header equals botocore's", arguments: cases)
    func matchesBotocore(_ testCase: Case) async throws {
        let answer: ScriptedHTTPServer.Reply =
            testCase.service == .kinesis || testCase.service == .tagging
            ? .json("{}") : .respond(status: 200, headers: ["Content-Type": "text/xml"], body: "<R/>")
        let server = try await ScriptedHTTPServer(script: [], fallback: answer)
        let credentials = Credentials(
            accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            sessionToken: testCase.sessionToken)
        let client = AWSClient(
            credentials: credentials, environment: AWSEnvironment([:]), endpointOverride: server.endpoint,
            retryPolicy: RetryPolicy(maxAttempts: 1), signingClock: { Self.fixedDate })
        switch testCase.service {
        case .kinesis: _ = try await client.kinesis(region: "us-west-2").send(testCase.operation, testCase.input)
        case .cloudformation:
            _ = try await client.cloudFormation(region: "us-west-2").send(testCase.operation, testCase.input)
        case .sts: _ = try await client.sts(region: "us-west-2").send(testCase.operation, testCase.input)
        case .tagging: _ = try await client.tagging(region: "us-west-2").send(testCase.operation, testCase.input)
        }
        try await client.shutdown()
        try await server.shutdown()
        let request = try #require(server.requests.first)

        // Botocore adds X-Amz-Date, the token and Host itself; give it the protocol headers we sent.
        let passed = request.headers.filter { ["content-type", "x-amz-target"].contains($0.key) }
        let spec: JSONValue = [
            "url": .string(server.endpoint + request.uri), "body": .string(request.body),
            "service": .string(testCase.service.rawValue),
            "headers": .object(passed.mapValues { .string($0) }),
            "token": testCase.sessionToken.map(JSONValue.string) ?? .null
        ]
        let script = """
            import datetime, json, sys
            import botocore.auth
            from botocore.auth import SigV4Auth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials
            botocore.auth.get_current_datetime = lambda: datetime.datetime(2024, 5, 1, 12, 0, 0)
            spec = json.loads(sys.stdin.read())
            request = AWSRequest(method='POST', url=spec['url'], data=spec['body'].encode('utf-8'), headers=spec['headers'])
            SigV4Auth(Credentials('AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', spec['token']), spec['service'], 'us-west-2').add_auth(request)
            print(request.headers['Authorization'])
            """
        let input = spec.serializedString()
        let result = try await offPool { try Subprocess.run("python3", ["-c", script], input: input) }
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(request.headers["authorization"] == result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(request.headers["x-amz-date"] == "20240501T120000Z")
    }
}
