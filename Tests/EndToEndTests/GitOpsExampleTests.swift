import Foundation
import Testing
import TestSupport

/// The pipeline examples are YAML that CI systems must accept; the reconcile commands
/// they run are tested elsewhere.
@Suite("GitOps pipeline examples")
struct GitOpsExampleTests {
    static let folder = PackagePaths.root.appendingPathComponent("examples/gitops").path

    @Test("the GitHub Actions workflow parses and has the plan and apply jobs wired as documented")
    func githubWorkflow() throws {
        let out = try Subprocess.python("""
            import yaml, json
            w = yaml.safe_load(open('\(Self.folder)/reconcile.yml'))
            triggers = w.get(True) or w.get('on')
            plan = w['jobs']['plan']; apply = w['jobs']['apply']
            runs = ' '.join(s.get('run', '') for s in plan['steps'] + apply['steps'])
            print(json.dumps({
              'triggers': sorted(triggers.keys()),
              'markdown': '--output markdown' in runs and '--detailed-exitcode' in runs and '--out plan.json' in runs,
              'applyPlan': 'apply manifests/ --plan' in runs and '--auto-approve' in runs,
              'artifact': any('upload-artifact' in s.get('uses', '') for s in plan['steps']),
            }, sort_keys=True))
            """)
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines)
            == #"{"applyPlan": true, "artifact": true, "markdown": true, "triggers": ["pull_request", "push"]}"#)
    }

    @Test("the GitLab CI file parses and has plan and apply jobs")
    func gitlabPipeline() throws {
        let out = try Subprocess.python("""
            import yaml
            c = yaml.safe_load(open('\(Self.folder)/gitlab-ci.yml'))
            print(sorted(k for k in c if k.startswith('reconcile-')), c['stages'])
            """)
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "['reconcile-apply', 'reconcile-plan'] ['plan', 'apply']")
    }
}
