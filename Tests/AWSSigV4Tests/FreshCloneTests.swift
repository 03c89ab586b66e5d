import Foundation
import Testing

/// A new contributor's `git clone` must carry everything the signer's tests read: the suite
/// runs here on the files of a fresh clone of this repository's committed state.
@Suite("A fresh clone is enough for the SigV4 suite")
struct FreshCloneTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("a clone of the repository holds every published case, and each passes there")
    func cloneRunsTheSuite() throws {
        let clone = FileManager.default.temporaryDirectory.appendingPathComponent(
            "reconcile-clone-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: clone) }
        let status = try runGit(["clone", "--quiet", "--no-hardlinks", Self.repositoryRoot.path, clone.path])
        try #require(status == 0, "git clone of \(Self.repositoryRoot.path) failed")

        let suite = clone.appendingPathComponent("Tests/Fixtures/aws-sigv4-test-suite")
        let cases = SigV4TestCase.cases(in: suite)
        #expect(cases.count == SigV4TestCase.publishedCaseCount)
        #expect(FileManager.default.fileExists(atPath: suite.appendingPathComponent("LICENSE").path))
        for testCase in cases {
            try SigV4TestSuiteTests().checkHeaderSigning(testCase)
        }
    }

    private func runGit(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
