"""The pipeline's logic, run as the jobs run it: reconcile-ci with the job's environment, the real
reconcile binary against moto, and a scripted GitHub / GitLab REST API."""
import json
import os
import subprocess

import pytest

STREAM = """apiVersion: reconcile/v1
kind: Stream
metadata:
  name: orders
spec:
  shardCount: {shards}
  retentionPeriodHours: {retention}
"""
HEAD, NEXT_HEAD, MERGE = "a" * 40, "b" * 40, "c" * 40


class GitHubRun:
    """The variables GitHub Actions gives a job, plus the upload-artifact step of the workflow."""

    def __init__(self, repository, tmp_path):
        self.repository, self.tmp = repository, tmp_path

    def env(self, sha, pull=None, **extra):
        output = self.tmp / f"output-{sha[:4]}-{len(os.listdir(self.tmp))}"
        output.write_text("")
        env = dict(GITHUB_ACTIONS="true", GITHUB_REPOSITORY="acme/infra", GITHUB_API_URL=self.repository.forge.url,
                   GITHUB_TOKEN="job-token", GITHUB_SERVER_URL="https://github.example", GITHUB_RUN_ID="42",
                   GITHUB_SHA=sha, GITHUB_OUTPUT=str(output), **extra)
        if pull:
            event = self.tmp / f"event-{sha[:4]}.json"
            event.write_text(json.dumps({"pull_request": {"number": pull, "head": {"sha": sha}}}))
            env["GITHUB_EVENT_PATH"] = str(event)
        return env

    def job(self, command, sha, pull=None, **extra):
        env = self.env(sha, pull, **extra)
        result = self.repository.run(command, env)
        outputs = dict(line.split("=", 1) for line in open(env["GITHUB_OUTPUT"]).read().splitlines() if "=" in line)
        if "artifact-name" in outputs:  # the workflow's upload-artifact step
            forge, root = self.repository.forge, self.repository.root
            forge.upload_artifact(outputs["artifact-name"], root / outputs["artifact-path"])
        return result


@pytest.fixture
def github(repository, tmp_path):
    return GitHubRun(repository, tmp_path)


def comment_bodies(forge, number):
    return [c["body"] for c in forge.comments.get(number, [])]


def test_pull_request_opened_then_updated_keeps_one_plan_comment(repository, github):
    repository.write("orders.yaml", STREAM.format(shards=1, retention=24))
    opened = github.job("plan", HEAD, pull=7)
    assert opened.returncode == 0, opened.stderr
    comments = repository.forge.comments[7]
    assert len(comments) == 1 and comments[0]["body"].startswith("<!-- reconcile-plan -->")
    assert "Plan: 1 to create" in comments[0]["body"] and HEAD[:12] in comments[0]["body"]
    first_id = comments[0]["id"]
    assert repository.forge.statuses[-1][0] == HEAD
    assert repository.forge.statuses[-1][1]["description"].startswith("Plan: 1 to create")

    repository.write("orders.yaml", STREAM.format(shards=2, retention=24))
    updated = github.job("plan", NEXT_HEAD, pull=7)
    assert updated.returncode == 0, updated.stderr
    comments = repository.forge.comments[7]
    assert [c["id"] for c in comments] == [first_id]
    assert NEXT_HEAD[:12] in comments[0]["body"] and '"shardCount": 2' not in comments[0]["body"]
    assert ("PATCH", f"/repos/acme/infra/issues/comments/{first_id}") in repository.forge.calls
    assert sorted(a["name"] for a in repository.forge.artifacts) == [
        f"reconcile-plan-7-{HEAD}", f"reconcile-plan-7-{NEXT_HEAD}"]
    assert repository.streams() == []  # planning changes nothing
    assert repository.files() == [".github/workflows/reconcile.yml", ".gitlab-ci.yml", "manifests/orders.yaml"]


def test_merge_commit_finds_and_applies_the_reviewed_plan_of_the_final_head(repository, github):
    repository.write("orders.yaml", STREAM.format(shards=1, retention=24))
    assert github.job("plan", HEAD, pull=7).returncode == 0
    repository.write("orders.yaml", STREAM.format(shards=2, retention=48))
    assert github.job("plan", NEXT_HEAD, pull=7).returncode == 0
    repository.forge.add_merged_pull(MERGE, 7, NEXT_HEAD)

    applied = github.job("apply", MERGE)
    assert applied.returncode == 0, applied.stderr
    summary = repository.kinesis().describe_stream_summary(StreamName="orders")["StreamDescriptionSummary"]
    assert (summary["OpenShardCount"], summary["RetentionPeriodHours"]) == (2, 48)
    assert ("GET", f"/repos/acme/infra/commits/{MERGE}/pulls") in repository.forge.calls
    result = [b for b in comment_bodies(repository.forge, 7) if b.startswith("<!-- reconcile-apply -->")]
    assert len(result) == 1 and "Apply complete: 1 created" in result[0]


def test_no_reviewed_plan_fails_and_changes_nothing(repository, github):
    repository.write("orders.yaml", STREAM.format(shards=1, retention=24))
    repository.forge.add_merged_pull(MERGE, 9, HEAD)  # merged without a plan run for its head
    result = github.job("apply", MERGE)
    assert result.returncode == 1
    assert "No reviewed plan" in result.stderr
    assert repository.streams() == []
    assert any("not run" in b for b in comment_bodies(repository.forge, 9))


def apply_directly(repository, retention):
    """Live state as an earlier pipeline left it."""
    repository.write("orders.yaml", STREAM.format(shards=1, retention=retention))
    env = dict(os.environ, **repository.aws)
    done = subprocess.run([os.path.join(repository.toolbox, "reconcile"), "apply", "--auto-approve", "manifests/"],
                          cwd=repository.root, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_live_state_moved_so_steps_differ_fails_changes_nothing_and_posts_a_fresh_plan(repository, github):
    apply_directly(repository, retention=48)
    repository.write("orders.yaml", STREAM.format(shards=1, retention=72))
    assert github.job("plan", HEAD, pull=11).returncode == 0
    repository.kinesis().increase_stream_retention_period(StreamName="orders", RetentionPeriodHours=96)
    repository.forge.add_merged_pull(MERGE, 11, HEAD)

    refused = github.job("apply", MERGE)
    assert refused.returncode == 1
    assert "stale" in refused.stderr
    retention = repository.kinesis().describe_stream_summary(StreamName="orders")["StreamDescriptionSummary"]
    assert retention["RetentionPeriodHours"] == 96
    posted = [b for b in comment_bodies(repository.forge, 11) if b.startswith("<!-- reconcile-apply -->")]
    assert len(posted) == 1 and "stale" in posted[0] and "needs a new approval" in posted[0]
    assert "Plan: 0 to create, 1 to update" in posted[0]
    assert f"reconcile-fresh-11-{MERGE}" in [a["name"] for a in repository.forge.artifacts]

    # The manual, protected run applies exactly the fresh plan that was posted.
    manual = github.job("apply-fresh", "d" * 40, RECONCILE_COMMIT=MERGE)
    assert manual.returncode == 0, manual.stderr
    retention = repository.kinesis().describe_stream_summary(StreamName="orders")["StreamDescriptionSummary"]
    assert retention["RetentionPeriodHours"] == 72


def test_drift_on_a_schedule_opens_one_issue_updates_it_then_closes_it(repository, github):
    apply_directly(repository, retention=24)
    clean = github.job("drift", MERGE)
    assert clean.returncode == 0 and repository.forge.issues == []

    repository.kinesis().increase_stream_retention_period(StreamName="orders", RetentionPeriodHours=48)
    assert github.job("drift", MERGE).returncode == 0
    assert github.job("drift", MERGE).returncode == 0
    assert len(repository.forge.issues) == 1
    issue = repository.forge.issues[0]
    assert issue["state"] == "open" and "reconcile-drift" in issue["labels"]
    assert "retentionPeriodHours: 48 → 24" in issue["body"]

    repository.kinesis().decrease_stream_retention_period(StreamName="orders", RetentionPeriodHours=24)
    assert github.job("drift", MERGE).returncode == 0
    assert len(repository.forge.issues) == 1 and issue["state"] == "closed"
    assert "matches the manifests again" in issue["notes"][0]["body"]


def gitlab_env(repository, sha, merge_request=None, **extra):
    env = dict(GITLAB_CI="true", CI_API_V4_URL=repository.forge.url + "/api/v4", CI_PROJECT_ID="5",
               RECONCILE_GITLAB_TOKEN="project-token", CI_JOB_TOKEN="job-token", CI_COMMIT_SHA=sha,
               CI_JOB_URL="https://gitlab.example/acme/infra/-/jobs/9", **extra)
    if merge_request:
        env["CI_MERGE_REQUEST_IID"] = str(merge_request)
    return env


def test_gitlab_merge_request_note_updated_in_place_then_squash_commit_applies_the_reviewed_plan(repository):
    repository.write("orders.yaml", STREAM.format(shards=1, retention=24))
    assert repository.run("plan", gitlab_env(repository, HEAD, 3)).returncode == 0
    repository.write("orders.yaml", STREAM.format(shards=1, retention=48))
    second = repository.run("plan", gitlab_env(repository, NEXT_HEAD, 3))
    assert second.returncode == 0, second.stderr
    notes = repository.forge.comments[3]
    assert len(notes) == 1 and NEXT_HEAD[:12] in notes[0]["body"]
    assert ("PUT", f"/projects/5/merge_requests/3/notes/{notes[0]['id']}") in repository.forge.calls
    assert f"reconcile-plan-3/{NEXT_HEAD}/plan.json" in repository.forge.packages
    assert repository.forge.statuses[-1][1]["state"] == "success"

    repository.forge.add_merged_pull(MERGE, 3, NEXT_HEAD, merge_commit="e" * 40)  # squash: no merge commit SHA
    applied = repository.run("apply", gitlab_env(repository, MERGE))
    assert applied.returncode == 0, applied.stderr
    summary = repository.kinesis().describe_stream_summary(StreamName="orders")["StreamDescriptionSummary"]
    assert summary["RetentionPeriodHours"] == 48


def test_gitlab_without_a_reviewed_plan_fails_and_changes_nothing(repository):
    repository.write("orders.yaml", STREAM.format(shards=1, retention=24))
    repository.forge.add_merged_pull(MERGE, 4, HEAD)
    result = repository.run("apply", gitlab_env(repository, MERGE))
    assert result.returncode == 1 and "No reviewed plan" in result.stderr
    assert repository.streams() == []


CONSUMER = """---
apiVersion: reconcile/v1
kind: StreamConsumer
metadata:
  name: analytics
spec:
  stream: orders
"""


def test_live_state_moved_with_the_same_steps_is_applied(repository, github):
    repository.write("orders.yaml", STREAM.format(shards=1, retention=24) + CONSUMER)
    env = dict(os.environ, **repository.aws)
    subprocess.run([os.path.join(repository.toolbox, "reconcile"), "apply", "--auto-approve", "manifests/"],
                   cwd=repository.root, env=env, check=True, capture_output=True)
    repository.write("orders.yaml", STREAM.format(shards=1, retention=48) + CONSUMER)
    assert github.job("plan", HEAD, pull=12).returncode == 0
    # Someone registers another consumer: the stream's live state moves, the reviewed steps do not.
    kinesis = repository.kinesis()
    arn = kinesis.describe_stream_summary(StreamName="orders")["StreamDescriptionSummary"]["StreamARN"]
    kinesis.register_stream_consumer(StreamARN=arn, ConsumerName="someone-elses")
    repository.forge.add_merged_pull(MERGE, 12, HEAD)

    applied = github.job("apply", MERGE)
    assert applied.returncode == 0, applied.stderr
    assert "Live state changed since the plan was made" in applied.stdout
    summary = kinesis.describe_stream_summary(StreamName="orders")["StreamDescriptionSummary"]
    assert summary["RetentionPeriodHours"] == 48
    posted = [b for b in comment_bodies(repository.forge, 12) if b.startswith("<!-- reconcile-apply -->")]
    assert len(posted) == 1 and "Live state changed" in posted[0] and "Apply complete" in posted[0]
