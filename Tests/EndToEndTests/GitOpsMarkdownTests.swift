import Foundation
import TestSupport
import Testing

/// `plan --output markdown` sized by the caller, through the binary against moto.
@Suite("Markdown plan options")
struct GitOpsMarkdownTests {
    static func streams(_ count: Int) -> String {
        (0..<count).map { index in
            """
            apiVersion: reconcile/v1
            kind: Stream
            metadata:
              name: e2e-markdown-\(index)
            spec:
              shardCount: 2
              retentionPeriodHours: 48
            """
        }.joined(separator: "\n---\n")
    }

    @Test("--max-chars bounds the comment and --details-url is named for what was cut")
    func sizedComment() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        try workspace.write("streams.yaml", Self.streams(150))
        let url = "https://ci.example/runs/7"
        let plan = try workspace.reconcile(
            "plan", "--output", "markdown", "--max-chars", "6000", "--details-url", url, ".")
        #expect(plan.exitCode == 0, "\(plan.output)")
        let markdown = plan.stdout.hasSuffix("\n") ? String(plan.stdout.dropLast()) : plan.stdout
        #expect(markdown.utf16.count <= 6_000)
        #expect(markdown.contains("**Plan: 150 to create, 0 to update, 0 to replace, 0 to delete.**"))
        #expect(markdown.contains("was left out to fit the size limit"))
        #expect(markdown.hasSuffix("The full plan: \(url)"))
        #expect(try workspace.streamNames().isEmpty)
    }

    @Test("the sizing options are refused without --output markdown or below the minimum")
    func refusedOptions() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        try workspace.write("streams.yaml", Self.streams(1))
        let text = try workspace.reconcile("plan", "--details-url", "https://ci.example", ".")
        #expect(text.exitCode != 0)
        #expect(text.stderr.contains("add --output markdown"))
        let tiny = try workspace.reconcile("plan", "--output", "markdown", "--max-chars", "100", ".")
        #expect(tiny.exitCode != 0)
        #expect(tiny.stderr.contains("--max-chars must be at least 4000"))
    }
}
