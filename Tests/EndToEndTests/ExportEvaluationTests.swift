import Foundation
import TestSupport
import Testing

/// `export --stack` on templates written outside reconcile: what evaluates for the deployed
/// stack becomes a Stream document, what does not stays in spec.template with a note.
@Suite("export: a stack's streams evaluated for its parameters, or kept with the reason")
struct ExportEvaluationTests {
    static let template = """
        {"Parameters": {"Shards": {"Type": "Number", "Default": "1"}, "Suffix": {"Type": "String", "Default": "a"}},
         "Conditions": {"Long": {"Fn::Equals": [{"Ref": "Suffix"}, "long"]}},
         "Resources": {
           "FromParameters": {"Type": "AWS::Kinesis::Stream", "Properties": {
             "Name": "exp-evaluated", "ShardCount": {"Ref": "Shards"},
             "RetentionPeriodHours": {"Fn::If": ["Long", 168, 48]}}},
           "Computed": {"Type": "AWS::Kinesis::Stream", "Properties": {
             "Name": {"Fn::Join": ["-", ["exp-computed", {"Ref": "Suffix"}]]}, "ShardCount": 1}}}}
        """

    @Test("parameter values and conditions evaluate; Fn::Join keeps the stream pass-through, named in the header")
    func evaluatedAndKept() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        _ = try workspace.boto3(
            """
            cfn.create_stack(StackName='exp-eval', TemplateBody='''\(Self.template)''',
                             Parameters=[{'ParameterKey': 'Shards', 'ParameterValue': '2'}])
            """)
        let exported = try workspace.reconcile("export", "--stack", "exp-eval", "--out", "exported")
        #expect(exported.exitCode == 0, "\(exported.output)")
        let text = try String(
            contentsOf: workspace.directory.appendingPathComponent("exported/stack-exp-eval.yaml"), encoding: .utf8)
        #expect(
            text.contains(
                "# Computed (AWS::Kinesis::Stream) stays in spec.template: Name: Fn::Join is not "
                    + "evaluated by reconcile"), "\(text)")
        #expect(text.contains("name: exp-evaluated"), "\(text)")
        #expect(text.contains("shardCount: 2\n  retentionPeriodHours: 48\n"), "\(text)")
        #expect(!text.contains("FromParameters:"), "\(text)")

        let plan = try workspace.reconcile("plan", "--adopt", "--output", "json", "exported")
        #expect(plan.exitCode == 0, "\(plan.output)")
        #expect(try ExportTests.changedProperties(plan.stdout) == ["Stack/exp-eval": ["tags.reconcile:project"]])
        let apply = try workspace.reconcile("apply", "--adopt", "--auto-approve", "exported")
        #expect(apply.exitCode == 0, "\(apply.output)")
        let again = try workspace.reconcile("plan", "--detailed-exitcode", "exported")
        #expect(again.exitCode == 0, "\(again.output)\n\(text)")
        #expect(try workspace.streamNames() == ["exp-computed-a", "exp-evaluated"])
    }
}
