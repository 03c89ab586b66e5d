import AWSSigV4
import Foundation
import TestSupport
import Testing

@testable import AWSClient

let streamTemplate = """
    {
      "AWSTemplateFormatVersion": "2010-09-09",
      "Description": "reconcile test stack",
      "Parameters": {"Shards": {"Type": "Number", "Default": "1"}},
      "Resources": {
        "Stream": {"Type": "AWS::Kinesis::Stream", "Properties": {"Name": "stack-stream", "ShardCount": {"Ref": "Shards"}, "RetentionPeriodHours": 24}}
      },
      "Outputs": {"StreamName": {"Value": {"Ref": "Stream"}}, "StreamArn": {"Value": {"Fn::GetAtt": ["Stream", "Arn"]}}}
    }
    """

@Suite("CloudFormation and STS against moto")
struct CloudFormationMotoTests {
    @Test("a stack is created, described, updated and deleted through send")
    func stackLifecycle() async throws {
        let moto = try await startMoto()
        defer { moto.stop() }
        let client = makeClient(endpoint: moto.endpoint)
        let cloudFormation = try client.cloudFormation(region: testRegion)

        let validated = try await cloudFormation.send("ValidateTemplate", ["TemplateBody": .string(streamTemplate)])
        #expect(validated.text(of: "Description") == "reconcile test stack")

        let created = try await cloudFormation.send(
            "CreateStack",
            [
                "StackName": "app", "TemplateBody": .string(streamTemplate),
                "Tags": [["Key": "team", "Value": "data"], ["Key": "env", "Value": "test"]],
                "Parameters": [["ParameterKey": "Shards", "ParameterValue": "2"]],
                "Capabilities": ["CAPABILITY_IAM"], "ClientRequestToken": "token-1",
                "EnableTerminationProtection": false
            ])
        let stackId = try #require(created.text(of: "StackId"))
        var stack = try #require(try await cloudFormation.describeStack(name: "app"))
        #expect(stack.stackId == stackId)
        #expect(stack.stackName == "app")
        #expect(stack.stackStatus == "CREATE_COMPLETE")
        #expect(stack.tags == ["team": "data", "env": "test"])
        #expect(stack.parameters == ["Shards": "2"])
        // moto does not echo Capabilities (the wire format is checked in WireFormatTests).
        #expect(stack.outputs["StreamName"] == "stack-stream")
        #expect(stack.outputs["StreamArn"]?.hasSuffix(":stream/stack-stream") == true)
        #expect(stack.description == "reconcile test stack")
        #expect(stack.creationTime != nil)

        // The stream really exists with the parameter's shard count.
        let kinesis = try client.kinesis(region: testRegion)
        #expect(try await kinesis.describeStreamSummary(streamName: "stack-stream")?.openShardCount == 2)

        #expect(try await cloudFormation.getTemplate(stackName: "app") == streamTemplate)
        let resources = try await cloudFormation.listStackResources(stackName: "app")
        #expect(resources.map(\.logicalResourceId) == ["Stream"])
        #expect(resources.first?.resourceType == "AWS::Kinesis::Stream")
        #expect(resources.first?.physicalResourceId == "stack-stream")
        let events = try await cloudFormation.describeStackEvents(stackName: "app")
        #expect(!events.isEmpty)
        #expect(events.contains { $0.logicalResourceId == "app" && $0.resourceStatus == "CREATE_COMPLETE" })

        _ = try await cloudFormation.send(
            "UpdateStack",
            [
                "StackName": "app", "UsePreviousTemplate": true,
                "Parameters": [["ParameterKey": "Shards", "ParameterValue": "3"]],
                "Tags": [["Key": "team", "Value": "platform"]]
            ])
        stack = try #require(try await cloudFormation.describeStack(name: "app"))
        #expect(stack.stackStatus == "UPDATE_COMPLETE")
        #expect(stack.parameters == ["Shards": "3"])
        #expect(stack.tags == ["team": "platform"])
        let environment = moto.clientEnvironment
        let botoTags = try await offPool {
            try Subprocess.python(
                "import boto3\nprint(boto3.client('cloudformation').describe_stacks(StackName='app')['Stacks'][0]['Tags'])",
                environment: environment)
        }
        #expect(botoTags.contains("platform"))

        _ = try await cloudFormation.send("DeleteStack", ["StackName": "app"])
        #expect(try await cloudFormation.describeStack(name: "app") == nil)
        try await client.shutdown()
    }

    @Test("describeStacks follows NextToken across pages")
    func describeStacksPages() async throws {
        let moto = try await startMoto()
        defer { moto.stop() }
        let client = makeClient(endpoint: moto.endpoint)
        let cloudFormation = try client.cloudFormation(region: testRegion)
        let template = #"{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}"#
        for index in 0..<53 {
            _ = try await cloudFormation.send(
                "CreateStack", ["StackName": .string("stack-\(index)"), "TemplateBody": .string(template)])
        }
        let firstPage = try await cloudFormation.send("DescribeStacks", [:])
        #expect(firstPage.text(of: "NextToken") != nil, "moto pages DescribeStacks by 50")
        let stacks = try await cloudFormation.describeStacks()
        #expect(stacks.count == 53)
        #expect(Set(stacks.map(\.stackName)).count == 53)
        try await client.shutdown()
    }

    @Test("a missing stack is nil for describeStack and a typed ValidationError elsewhere")
    func missingStack() async throws {
        let moto = try await startMoto()
        defer { moto.stop() }
        let client = makeClient(endpoint: moto.endpoint)
        let cloudFormation = try client.cloudFormation(region: testRegion)
        #expect(try await cloudFormation.describeStack(name: "ghost") == nil)
        let error = await #expect(throws: AWSError.self) {
            _ = try await cloudFormation.getTemplate(stackName: "ghost")
        }
        #expect(error?.code == "ValidationError")
        #expect(error?.service == .cloudformation)
        #expect(error?.operation == "GetTemplate")
        try await client.shutdown()
    }

    @Test("UpdateTerminationProtection is sent correctly; moto's unimplemented answer is a clear error")
    func terminationProtection() async throws {
        let server = try await ScriptedHTTPServer(
            script: [],
            fallback: .respond(
                status: 200, headers: ["Content-Type": "text/xml"],
                body:
                    "<UpdateTerminationProtectionResponse><UpdateTerminationProtectionResult><StackId>arn:s</StackId></UpdateTerminationProtectionResult></UpdateTerminationProtectionResponse>"
            ))
        let scripted = makeClient(endpoint: server.endpoint)
        let result = try await scripted.cloudFormation(region: testRegion).send(
            "UpdateTerminationProtection", ["StackName": "app", "EnableTerminationProtection": true])
        try await scripted.shutdown()
        try await server.shutdown()
        #expect(result.text(of: "StackId") == "arn:s")
        #expect(
            Set(server.requests.first?.body.split(separator: "&").map(String.init) ?? []) == [
                "Action=UpdateTerminationProtection", "Version=2010-05-15", "StackName=app",
                "EnableTerminationProtection=true"
            ])

        let moto = try await startMoto()
        defer { moto.stop() }
        let client = makeClient(endpoint: moto.endpoint, maxAttempts: 1)
        let cloudFormation = try client.cloudFormation(region: testRegion)
        _ = try await cloudFormation.send(
            "CreateStack",
            [
                "StackName": "app", "TemplateBody": .string(streamTemplate),
                "Parameters": [["ParameterKey": "Shards", "ParameterValue": "1"]]
            ])
        do {
            _ = try await cloudFormation.send(
                "UpdateTerminationProtection", ["StackName": "app", "EnableTerminationProtection": true])
        } catch {
            // moto lacks the call; whatever it answers must read as one clear message.
            let text = String(describing: error)
            #expect(text.contains("UpdateTerminationProtection"))
            #expect(text.count < 600)
        }
        try await client.shutdown()
    }

    @Test("GetCallerIdentity returns moto's account")
    func callerIdentity() async throws {
        let moto = try await startMoto()
        defer { moto.stop() }
        let client = makeClient(endpoint: moto.endpoint)
        let identity = try await client.sts(region: testRegion).getCallerIdentity()
        #expect(identity.account == "123456789012")
        #expect(identity.arn.hasPrefix("arn:aws:"))
        try await client.shutdown()
    }
}

@Suite("Signatures against moto with IAM checks on")
struct MotoAuthTests {
    /// Creates an IAM user with a key allowed every Kinesis/CloudFormation/STS action, then turns auth on.
    func makeUserAndEnableAuth(_ moto: MotoServer) async throws -> Credentials {
        let endpoint = moto.endpoint
        let environment = moto.clientEnvironment
        let output = try await offPool {
            try Subprocess.python(
                """
                import boto3, json, urllib.request
                iam = boto3.client('iam')
                iam.create_user(UserName='reconciler')
                iam.put_user_policy(UserName='reconciler', PolicyName='all', PolicyDocument=json.dumps({
                    'Version': '2012-10-17',
                    'Statement': [{'Effect': 'Allow', 'Action': ['kinesis:*', 'cloudformation:*', 'sts:*'], 'Resource': '*'}]}))
                key = iam.create_access_key(UserName='reconciler')['AccessKey']
                urllib.request.urlopen(urllib.request.Request('\(endpoint)/moto-api/reset-auth', data=b'0', method='POST', headers={'Content-Type': 'text/plain'})).read()
                print(key['AccessKeyId'] + ' ' + key['SecretAccessKey'])
                """, environment: environment)
        }
        let parts = output.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        return Credentials(accessKeyId: parts[0], secretAccessKey: parts[1])
    }

    @Test("moto accepts our signatures for Kinesis, CloudFormation and STS")
    func signaturesAccepted() async throws {
        let moto = try await startMoto()
        defer { moto.stop() }
        let credentials = try await makeUserAndEnableAuth(moto)
        let client = makeClient(endpoint: moto.endpoint, credentials: credentials)
        _ = try await client.kinesis(region: testRegion).send("CreateStream", ["StreamName": "signed", "ShardCount": 1])
        #expect(try await client.kinesis(region: testRegion).listStreams() == ["signed"])
        #expect(try await client.cloudFormation(region: testRegion).describeStacks().isEmpty)
        // A template with spaces, quotes and newlines: moto re-encodes the parsed form to check
        // the signature, so the body must be encoded exactly as botocore would (space as '+').
        let template =
            #"{"Description": "a stack with spaces & symbols", "Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}}}"#
        _ = try await client.cloudFormation(region: testRegion).send(
            "CreateStack", ["StackName": "signed-stack", "TemplateBody": .string(template)])
        #expect(
            try await client.cloudFormation(region: testRegion).describeStack(name: "signed-stack")?.stackStatus
                == "CREATE_COMPLETE")
        #expect(try await client.sts(region: testRegion).getCallerIdentity().arn.hasSuffix("user/reconciler"))
        try await client.shutdown()
    }

    @Test("a wrong secret is answered with SignatureDoesNotMatch, not retried, and reads clearly")
    func wrongSecret() async throws {
        let moto = try await startMoto()
        defer { moto.stop() }
        let credentials = try await makeUserAndEnableAuth(moto)
        let log = EventLog()
        let wrong = Credentials(accessKeyId: credentials.accessKeyId, secretAccessKey: "not-the-secret-key-at-all")
        let client = makeClient(endpoint: moto.endpoint, maxAttempts: 3, credentials: wrong, log: log)
        let kinesisError = await #expect(throws: AWSError.self) {
            _ = try await client.kinesis(region: testRegion).listStreams()
        }
        #expect(kinesisError?.code == "SignatureDoesNotMatch" || kinesisError?.code == "InvalidSignatureException")
        #expect(kinesisError?.statusCode == 403 || kinesisError?.statusCode == 400)
        let cfnError = await #expect(throws: AWSError.self) {
            _ = try await client.cloudFormation(region: testRegion).describeStacks()
        }
        #expect(cfnError?.code == "SignatureDoesNotMatch")
        #expect(log.events.count == 2, "authentication failures are not retried: \(log.events)")
        for error in [kinesisError, cfnError].compactMap({ $0 }) {
            #expect(!String(describing: error).contains("not-the-secret-key-at-all"))
        }
        try await client.shutdown()
    }
}
