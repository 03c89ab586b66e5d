import Foundation
import TestSupport
import Testing

/// The pipeline files only wire events, permissions and credentials to `reconcile-ci`; what the
/// scripts do is run against moto and a fake API by `make test-gitops` (examples/gitops/tests).
@Suite("GitOps pipeline examples")
struct GitOpsExampleTests {
    static let folder = PackagePaths.root.appendingPathComponent("examples/gitops").path

    @Test("the GitHub workflow: each job calls reconcile-ci, with its own least permissions and pinned actions")
    func githubWorkflow() throws {
        let out = try Subprocess.python(
            """
            import yaml, json, re
            w = yaml.safe_load(open('\(Self.folder)/reconcile.yml'))
            jobs = w['jobs']
            steps = [s for j in jobs.values() for s in j['steps']]
            print(json.dumps({
              'top': w['permissions'],
              'runs': {n: [s['run'] for s in j['steps'] if 'run' in s] for n, j in jobs.items()},
              'writes': {n: sorted(k for k, v in j['permissions'].items() if v == 'write') for n, j in jobs.items()},
              'pinned': all(re.fullmatch(r'[^@]+@[0-9a-f]{40}', s['uses']) for s in steps if 'uses' in s),
              'persist': sorted({s['with']['persist-credentials'] for s in steps if 'checkout' in s.get('uses', '')}),
              'groups': sorted({j['concurrency']['group'] for n, j in jobs.items() if n != 'plan'}),
              'environments': {n: j.get('environment') for n, j in jobs.items()},
            }, sort_keys=True))
            """)
        let expected = #"""
            {"environments": {"apply": "reconcile-apply", "apply-fresh": "reconcile-apply-fresh", "drift": null, \#
            "plan": null}, "groups": ["reconcile-apply-production"], "persist": [false], "pinned": true, \#
            "runs": {"apply": ["reconcile-ci apply"], "apply-fresh": ["reconcile-ci apply-fresh"], \#
            "drift": ["reconcile-ci drift"], "plan": ["reconcile-ci plan"]}, "top": {}, \#
            "writes": {"apply": ["id-token", "pull-requests"], "apply-fresh": ["id-token", "pull-requests"], \#
            "drift": ["id-token", "issues"], "plan": ["id-token", "pull-requests", "statuses"]}}
            """#
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == expected)
    }

    @Test("the GitLab pipeline: each job calls reconcile-ci; applies share one resource group; fresh plans are manual")
    func gitlabPipeline() throws {
        let out = try Subprocess.python(
            """
            import yaml, json
            c = yaml.safe_load(open('\(Self.folder)/gitlab-ci.yml'))
            jobs = {k: v for k, v in c.items() if k.startswith('reconcile-')}
            print(json.dumps({
              'scripts': {k: v['script'] for k, v in jobs.items()},
              'groups': {k: v.get('resource_group') for k, v in jobs.items()},
              'manual': [k for k, v in jobs.items() if any(r.get('when') == 'manual' for r in v['rules'])],
              'checksum': any('sha256sum -c' in line for line in c['.reconcile']['before_script']),
            }, sort_keys=True))
            """)
        let expected = #"""
            {"checksum": true, "groups": {"reconcile-apply": "reconcile-production", "reconcile-apply-fresh": \#
            "reconcile-production", "reconcile-drift": "reconcile-production", "reconcile-plan": null}, \#
            "manual": ["reconcile-apply-fresh"], "scripts": {"reconcile-apply": ["reconcile-ci apply"], \#
            "reconcile-apply-fresh": ["reconcile-ci apply-fresh"], "reconcile-drift": ["reconcile-ci drift"], \#
            "reconcile-plan": ["reconcile-ci plan"]}}
            """#
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == expected)
    }
}
