import TestSupport
import Testing

@Test("the built binary answers --version")
func binaryAnswersVersion() throws {
    let result = try Subprocess.run(PackagePaths.reconcileBinary, ["--version"])
    #expect(result.exitCode == 0)
    #expect(result.stdout.contains("0.1.0"))
}

@Test("a moto server starts on a free port")
func motoStarts() throws {
    let moto = try MotoServer()
    defer { moto.stop() }
    let out = try Subprocess.python(
        "import boto3; print(len(boto3.client('kinesis').list_streams()['StreamNames']))",
        environment: moto.clientEnvironment)
    #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
}
