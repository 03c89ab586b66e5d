import Foundation
import TestSupport
import Testing

/// Values that look like the plan's old `${…}` references are the user's data: apply sends them as
/// written, both directly and from a saved plan. Stack parameters carry them (AWS's tag character sets
/// refuse `$`, `{` and `}`, and `validate` does too), including one that names a declared stream's ARN
/// exactly as a reference used to.
@Suite("values shaped like ${…} apply verbatim")
struct VerbatimValuesTests {
    static let manifests = """
        apiVersion: reconcile/v1
        kind: Stream
        metadata:
          name: verbatim-direct
        spec:
          shardCount: 1
        ---
        apiVersion: reconcile/v1
        kind: Stack
        metadata:
          name: verbatim-stack
        spec:
          parameters:
            Env: "${env}"
            Source: "${Stream/verbatim-direct.StreamARN}"
          template:
            Parameters:
              Env:
                Type: String
              Source:
                Type: String
            Resources:
              EnvParameter:
                Type: AWS::SSM::Parameter
                Properties:
                  Name: /verbatim/env
                  Type: String
                  Value: !Ref Env
        """

    static let check = """
        stack = cfn.describe_stacks(StackName='verbatim-stack')['Stacks'][0]
        parameters = {p['ParameterKey']: p['ParameterValue'] for p in stack.get('Parameters', [])}
        print(parameters.get('Env'), parameters.get('Source'), stack['StackStatus'])
        """

    @Test("stack parameters of \"${env}\" and \"${Stream/NAME.StreamARN}\" reach AWS as written")
    func applyDirectly() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        try workspace.write("verbatim.yaml", Self.manifests)
        let apply = try workspace.reconcile("apply", "--auto-approve", ".")
        #expect(apply.exitCode == 0, "\(apply.output)")
        #expect(try workspace.boto3(Self.check) == "${env} ${Stream/verbatim-direct.StreamARN} CREATE_COMPLETE")
    }

    @Test("the same values reach AWS as written from a saved plan (apply --plan)")
    func applySavedPlan() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        try workspace.write("verbatim.yaml", Self.manifests)
        let plan = try workspace.reconcile("plan", "--out", "plan.json", ".")
        #expect(plan.exitCode == 0 || plan.exitCode == 2, "\(plan.output)")
        let apply = try workspace.reconcile("apply", "--plan", "plan.json", ".")
        #expect(apply.exitCode == 0, "\(apply.output)")
        #expect(try workspace.boto3(Self.check) == "${env} ${Stream/verbatim-direct.StreamARN} CREATE_COMPLETE")
    }
}
