import Foundation
import TestSupport
import Testing

@Suite("The fault proxy wrapper")
struct FaultProxyTests {
    @Test("requests through the proxy reach moto and appear in its log")
    func forwardsAndLogs() throws {
        let moto = try MotoServer()
        defer { moto.stop() }
        let proxy = try FaultProxy(in: moto)
        defer { proxy.stop() }

        let out = try Subprocess.python(
            """
            import boto3
            kinesis = boto3.client('kinesis')
            kinesis.create_stream(StreamName='via-proxy', ShardCount=1)
            print(kinesis.list_streams()['StreamNames'])
            """, environment: proxy.clientEnvironment)

        #expect(out.contains("via-proxy"))
        let requests = try proxy.requests()
        #expect(requests.map(\.operation) == ["CreateStream", "ListStreams"])
        #expect(requests.first?.resource == "via-proxy")
        #expect(requests.allSatisfy { $0.status == 200 && $0.fault == nil && $0.service == "kinesis" })
        #expect(try proxy.writeRequests().map(\.operation) == ["CreateStream"])
        try proxy.resetLog()
        #expect(try proxy.requests().isEmpty)
    }

    @Test("a scripted throttle reaches the client as LimitExceededException and is logged")
    func scriptedThrottle() throws {
        let moto = try MotoServer()
        defer { moto.stop() }
        let proxy = try FaultProxy(in: moto)
        defer { proxy.stop() }
        try proxy.configure(#"{"script": [{"operation": "ListStreams", "nth": 1, "fault": "throttle"}]}"#)

        let out = try Subprocess.python(
            """
            import boto3, botocore.config, botocore.exceptions
            config = botocore.config.Config(retries={'total_max_attempts': 1})
            try:
                boto3.client('kinesis', config=config).list_streams()
                print('no error')
            except botocore.exceptions.ClientError as error:
                print(error.response['Error']['Code'])
            """, environment: proxy.clientEnvironment)

        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "LimitExceededException")
        let logged = try proxy.requests()
        #expect(logged.count == 1)
        #expect(logged.first?.fault == "throttle")
        #expect(logged.first?.status == 400)
    }

    @Test("a connection reset is logged without a status")
    func resetIsLogged() throws {
        let moto = try MotoServer()
        defer { moto.stop() }
        let proxy = try FaultProxy(
            in: moto, config: #"{"script": [{"operation": "ListStreams", "nth": 1, "fault": "reset_before"}]}"#)
        defer { proxy.stop() }

        let out = try Subprocess.python(
            """
            import boto3, botocore.config, botocore.exceptions
            config = botocore.config.Config(retries={'total_max_attempts': 1})
            try:
                boto3.client('kinesis', config=config).list_streams()
                print('no error')
            except botocore.exceptions.HTTPClientError:
                print('dropped')
            """, environment: proxy.clientEnvironment)

        #expect(out.contains("dropped"))
        #expect(try proxy.requests().map(\.status) == [nil])
    }
}
