import AWSSigV4
import Formats
import Foundation
import TestSupport
import Testing

@testable import AWSClient

@Suite("Retries follow botocore's standard mode")
struct RetryTests {
    @Test("throttling answers are retried until success, each retry visible to the observer")
    func throttlingRetried() async throws {
        let server = try await ScriptedHTTPServer(script: [
            .jsonError(status: 400, code: "ThrottlingException", message: "Rate exceeded"),
            .jsonError(status: 400, code: "LimitExceededException", message: "slow down"),
            .json(#"{"StreamNames":["a"],"HasMoreStreams":false}"#)
        ])
        let log = EventLog()
        let client = makeClient(endpoint: server.endpoint, maxAttempts: 3, log: log)
        let names = try await client.kinesis(region: testRegion).listStreams()
        try await client.shutdown()
        try await server.shutdown()
        #expect(names == ["a"])
        #expect(server.requests.count == 3)
        let events = log.events
        #expect(events.map(\.attempt) == [1, 2, 3])
        #expect(events.map(\.willRetry) == [true, true, false])
        #expect(events.map(\.errorCode) == ["ThrottlingException", "LimitExceededException", nil])
        #expect(events.map(\.statusCode) == [400, 400, 200])
        #expect(
            events.allSatisfy { $0.service == .kinesis && $0.operation == "ListStreams" && $0.region == testRegion })
    }

    @Test("503 and 500 answers and dropped connections are retried")
    func serverErrorsAndDropsRetried() async throws {
        let server = try await ScriptedHTTPServer(script: [
            .respond(status: 503, body: "Service Unavailable"),
            .dropConnection,
            .xmlError(status: 500, code: "InternalFailure"),
            .respond(
                status: 200, headers: ["Content-Type": "text/xml"],
                body:
                    "<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Account><Arn>arn:aws:iam::123456789012:user/x</Arn><UserId>AID</UserId></GetCallerIdentityResult></GetCallerIdentityResponse>"
            )
        ])
        let log = EventLog()
        let client = makeClient(endpoint: server.endpoint, maxAttempts: 4, log: log)
        let identity = try await client.sts(region: testRegion).getCallerIdentity()
        try await client.shutdown()
        try await server.shutdown()
        #expect(identity.account == "123456789012")
        #expect(server.requests.count == 4)
        #expect(log.events.map(\.statusCode) == [503, nil, 500, 200])
        #expect(log.events[1].errorCode == "ConnectionError")
    }

    @Test("validation errors are not retried and surface as a typed AWSError")
    func validationNotRetried() async throws {
        let server = try await ScriptedHTTPServer(script: [
            .xmlError(status: 400, code: "ValidationError", message: "Template format error")
        ])
        let log = EventLog()
        let client = makeClient(endpoint: server.endpoint, maxAttempts: 5, log: log)
        let error = await #expect(throws: AWSError.self) {
            _ = try await client.cloudFormation(region: testRegion).send("ValidateTemplate", ["TemplateBody": "{}"])
        }
        try await client.shutdown()
        try await server.shutdown()
        #expect(server.requests.count == 1)
        #expect(error?.code == "ValidationError")
        #expect(error?.message == "Template format error")
        #expect(error?.requestId == "req-1")
        #expect(error?.isRetryable == false)
        #expect(log.events.map(\.willRetry) == [false])
    }

    @Test("access errors are not retried")
    func authNotRetried() async throws {
        let server = try await ScriptedHTTPServer(
            script: [], fallback: .jsonError(status: 400, code: "UnrecognizedClientException"))
        let client = makeClient(endpoint: server.endpoint, maxAttempts: 5)
        await #expect(throws: AWSError.self) { _ = try await client.kinesis(region: testRegion).listStreams() }
        try await client.shutdown()
        try await server.shutdown()
        #expect(server.requests.count == 1)
    }

    @Test("retries stop at maxAttempts and the last error is thrown")
    func attemptsExhausted() async throws {
        let server = try await ScriptedHTTPServer(
            script: [],
            fallback: .jsonError(
                status: 400, code: "com.amazonaws.kinesis.v20131202#ProvisionedThroughputExceededException"))
        let log = EventLog()
        let client = makeClient(endpoint: server.endpoint, maxAttempts: 4, log: log)
        let error = await #expect(throws: AWSError.self) {
            _ = try await client.kinesis(region: testRegion).send("ListShards", ["StreamName": "s"])
        }
        try await client.shutdown()
        try await server.shutdown()
        #expect(server.requests.count == 4)
        #expect(error?.code == "ProvisionedThroughputExceededException")
        #expect(error?.isThrottling == true)
        #expect(log.events.map(\.willRetry) == [true, true, true, false])
    }

    @Test("connections dropped on every attempt end in a transport error naming the attempts")
    func droppedEveryTime() async throws {
        let server = try await ScriptedHTTPServer(script: [], fallback: .dropConnection)
        let client = makeClient(endpoint: server.endpoint, maxAttempts: 2)
        let error = await #expect(throws: AWSClientError.self) {
            _ = try await client.kinesis(region: testRegion).listStreams()
        }
        try await client.shutdown()
        try await server.shutdown()
        #expect(server.requests.count == 2)
        #expect(String(describing: error).contains("after 2 attempts"))
    }

    @Test("a slow answer times out per attempt and is retried")
    func timeoutRetried() async throws {
        let server = try await ScriptedHTTPServer(script: [
            // Far longer than the timeout: under a loaded test run the deadline may fire late.
            .delayed(milliseconds: 15_000, .json("{}")),
            .json(#"{"StreamNames":[],"HasMoreStreams":false}"#)
        ])
        let log = EventLog()
        let client = makeClient(endpoint: server.endpoint, maxAttempts: 2, requestTimeout: .milliseconds(300), log: log)
        let names = try await client.kinesis(region: testRegion).listStreams()
        try await client.shutdown()
        try await server.shutdown()
        #expect(names.isEmpty)
        #expect(log.events.first?.errorCode == "Timeout")
        #expect(log.events.count == 2)
    }

    @Test("an HTML error page becomes a clear error with its status and an excerpt")
    func htmlErrorPage() async throws {
        let server = try await ScriptedHTTPServer(
            script: [],
            fallback: .respond(
                status: 500, headers: ["Content-Type": "text/html"],
                body:
                    "<!doctype html>\n<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>"
            ))
        let client = makeClient(endpoint: server.endpoint, maxAttempts: 2)
        let error = await #expect(throws: AWSClientError.self) {
            _ = try await client.kinesis(region: testRegion).send("SplitShard", ["StreamName": "s"])
        }
        try await client.shutdown()
        try await server.shutdown()
        #expect(server.requests.count == 2, "HTTP 500 is retryable even when the body is not an AWS error")
        let text = String(describing: error)
        #expect(text.contains("HTTP 500"))
        #expect(text.contains("Internal Server Error"))
        #expect(error?.statusCode == 500)
    }

    @Test("each retry waits a full-jitter delay under the exponential ceiling")
    func backoffBounds() async throws {
        let server = try await ScriptedHTTPServer(script: [], fallback: .respond(status: 503))
        let log = EventLog()
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(20), maxDelay: .milliseconds(50))
        let client = AWSClient(
            credentials: Credentials(accessKeyId: "a", secretAccessKey: "b"), environment: AWSEnvironment([:]),
            endpointOverride: server.endpoint, retryPolicy: policy, observer: log.observer)
        let started = ContinuousClock.now
        await #expect(throws: AWSClientError.self) { _ = try await client.kinesis(region: testRegion).listStreams() }
        let elapsed = ContinuousClock.now - started
        try await client.shutdown()
        try await server.shutdown()
        #expect(server.requests.count == 5)
        let delays = log.events.compactMap(\.retryDelay)
        #expect(delays.count == 4)
        for (index, delay) in delays.enumerated() {
            #expect(delay >= .zero && delay <= policy.delayCeiling(afterAttempt: index + 1))
        }
        #expect(policy.delayCeiling(afterAttempt: 1) == .milliseconds(20))
        #expect(policy.delayCeiling(afterAttempt: 3) == .milliseconds(50))
        // The client really slept: at least the sum of the chosen delays.
        #expect(elapsed >= delays.reduce(.zero, +))
    }
}

@Suite("Requests on the wire")
struct WireFormatTests {
    @Test("Kinesis calls are signed JSON 1.1 POSTs with the target header")
    func kinesisWireFormat() async throws {
        let server = try await ScriptedHTTPServer(script: [], fallback: .json("{}"))
        let client = makeClient(
            endpoint: server.endpoint,
            credentials: Credentials(accessKeyId: "AKID", secretAccessKey: "s", sessionToken: "tok"))
        _ = try await client.kinesis(region: testRegion).send("CreateStream", ["StreamName": "s", "ShardCount": 2])
        try await client.shutdown()
        try await server.shutdown()
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.uri == "/")
        #expect(request.headers["x-amz-target"] == "Kinesis_20131202.CreateStream")
        #expect(request.headers["content-type"] == "application/x-amz-json-1.1")
        #expect(request.headers["x-amz-security-token"] == "tok")
        #expect(request.headers["x-amz-date"]?.count == 16)
        let authorization = try #require(request.headers["authorization"])
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKID/"))
        #expect(authorization.contains("/eu-central-1/kinesis/aws4_request"))
        #expect(authorization.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target"))
        #expect(try JSONValue.parse(Data(request.body.utf8)) == ["StreamName": "s", "ShardCount": 2])
    }

    @Test("CloudFormation parameters are flattened the way botocore does")
    func cloudFormationWireFormat() async throws {
        let server = try await ScriptedHTTPServer(
            script: [],
            fallback: .respond(
                status: 200, headers: ["Content-Type": "text/xml"],
                body:
                    "<CreateStackResponse><CreateStackResult><StackId>arn:x</StackId></CreateStackResult></CreateStackResponse>"
            ))
        let client = makeClient(endpoint: server.endpoint)
        let result = try await client.cloudFormation(region: testRegion).send(
            "CreateStack",
            [
                "StackName": "s", "TemplateBody": "a b+c&d=e",
                "Tags": [["Key": "team", "Value": "data"]],
                "Parameters": [["ParameterKey": "P", "ParameterValue": "1"]],
                "Capabilities": ["CAPABILITY_IAM"], "EnableTerminationProtection": true, "TimeoutInMinutes": 5,
                "NotificationARNs": []
            ])
        try await client.shutdown()
        try await server.shutdown()
        #expect(result.text(of: "StackId") == "arn:x")
        let request = try #require(server.requests.first)
        #expect(request.headers["content-type"] == "application/x-www-form-urlencoded; charset=utf-8")
        let fields = Set(request.body.split(separator: "&").map(String.init))
        #expect(
            fields == [
                "Action=CreateStack", "Version=2010-05-15", "StackName=s", "TemplateBody=a+b%2Bc%26d%3De",
                "Tags.member.1.Key=team", "Tags.member.1.Value=data", "Parameters.member.1.ParameterKey=P",
                "Parameters.member.1.ParameterValue=1", "Capabilities.member.1=CAPABILITY_IAM",
                "EnableTerminationProtection=true",
                "TimeoutInMinutes=5", "NotificationARNs="
            ])
    }
}
