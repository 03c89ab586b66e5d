"""The few REST calls the pipeline makes, for GitHub and for GitLab, behind one interface.

Standard library only, so the scripts run on any runner with python3. Every call raises
ForgeError with the method, path and status when the API answers with an error.
"""
import io
import json
import os
import urllib.error
import urllib.parse
import urllib.request
import zipfile


class ForgeError(Exception):
    pass


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class RestClient:
    def __init__(self, base_url, headers):
        self.base_url = base_url.rstrip("/")
        self.headers = headers

    def call(self, method, path, body=None, raw=None, content_type="application/json", parse=True):
        """JSON in and out; `raw` bytes are sent as they are. Redirects (artifact downloads)
        are followed without the credentials, which belong to the API only."""
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        headers = dict(self.headers)
        if data is not None:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers, method=method)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=60) as response:
                payload = response.read()
        except urllib.error.HTTPError as error:
            if error.code in (301, 302, 307) and error.headers.get("Location"):
                with urllib.request.urlopen(error.headers["Location"], timeout=60) as response:
                    return response.read()  # only artifact archives redirect
            if error.code == 404:
                return None
            raise ForgeError(f"{method} {path}: HTTP {error.code} {error.read()[:300]!r}") from None
        if not parse:
            return payload
        if not payload:
            return {}
        try:
            return json.loads(payload)
        except ValueError:
            return payload

    def pages(self, path):
        """Every item of a paginated list (100 per page)."""
        items, page = [], 1
        separator = "&" if "?" in path else "?"
        while True:
            batch = self.call("GET", f"{path}{separator}per_page=100&page={page}") or []
            items.extend(batch)
            if len(batch) < 100:
                return items
            page += 1


class GitHub:
    """GitHub Actions: GITHUB_API_URL, GITHUB_REPOSITORY and a GITHUB_TOKEN of the job."""

    name = "github"

    def __init__(self, env=os.environ):
        self.env = env
        self.repo = env["GITHUB_REPOSITORY"]
        self.api = RestClient(env.get("GITHUB_API_URL", "https://api.github.com"), {
            "Authorization": f"Bearer {env['GITHUB_TOKEN']}", "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "reconcile-ci"})

    def run_url(self):
        server = self.env.get("GITHUB_SERVER_URL", "https://github.com")
        return f"{server}/{self.repo}/actions/runs/{self.env.get('GITHUB_RUN_ID', '0')}"

    def change_request(self):
        """(number, head SHA) of the pull request this run is for."""
        with open(self.env["GITHUB_EVENT_PATH"]) as handle:
            event = json.load(handle)
        pull = event["pull_request"]
        return pull["number"], pull["head"]["sha"]

    def upsert_comment(self, number, marker, body):
        path = f"/repos/{self.repo}/issues/{number}/comments"
        mine = next((c for c in self.api.pages(path) if (c.get("body") or "").startswith(marker)), None)
        if mine:
            self.api.call("PATCH", f"/repos/{self.repo}/issues/comments/{mine['id']}", {"body": body})
        else:
            self.api.call("POST", path, {"body": body})

    def set_status(self, sha, state, description, url):
        self.api.call("POST", f"/repos/{self.repo}/statuses/{sha}", {
            "state": state, "context": "reconcile/plan", "description": description[:140], "target_url": url})

    def merged_change_request(self, commit):
        """The merged pull request that produced `commit` on the default branch: (number, head SHA)."""
        pulls = self.api.call("GET", f"/repos/{self.repo}/commits/{commit}/pulls") or []
        merged = [p for p in pulls if p.get("merged_at")]
        exact = [p for p in merged if p.get("merge_commit_sha") == commit]
        chosen = (exact or merged or [None])[0]
        return (chosen["number"], chosen["head"]["sha"]) if chosen else None

    def store_plan(self, name, path):
        """The workflow's upload-artifact step stores the file; this names the artifact for it."""
        output = self.env.get("GITHUB_OUTPUT")
        if output:
            with open(output, "a") as handle:
                handle.write(f"artifact-name={name}\nartifact-path={path}\n")

    def fetch_plan(self, name, destination):
        """The newest unexpired artifact called `name`, unzipped to `destination`; False when none."""
        found = self.api.call("GET", f"/repos/{self.repo}/actions/artifacts?name={urllib.parse.quote(name)}") or {}
        artifacts = [a for a in found.get("artifacts", []) if a.get("name") == name and not a.get("expired")]
        if not artifacts:
            return False
        newest = max(artifacts, key=lambda a: a.get("created_at", ""))
        archive = self.api.call("GET", f"/repos/{self.repo}/actions/artifacts/{newest['id']}/zip")
        with zipfile.ZipFile(io.BytesIO(archive)) as bundle:
            member = next(n for n in bundle.namelist() if n.endswith("plan.json"))
            with open(destination, "wb") as handle:
                handle.write(bundle.read(member))
        return True

    def open_issues(self, label):
        return [i for i in self.api.pages(f"/repos/{self.repo}/issues?state=open&labels={label}")
                if "pull_request" not in i]

    def create_issue(self, title, body, label):
        self.api.call("POST", f"/repos/{self.repo}/issues", {"title": title, "body": body, "labels": [label]})

    def update_issue(self, issue, body):
        self.api.call("PATCH", f"/repos/{self.repo}/issues/{issue['number']}", {"body": body})

    def close_issue(self, issue, comment):
        self.api.call("POST", f"/repos/{self.repo}/issues/{issue['number']}/comments", {"body": comment})
        self.api.call("PATCH", f"/repos/{self.repo}/issues/{issue['number']}", {"state": "closed"})

    def issue_body(self, issue):
        return issue.get("body") or ""


class GitLab:
    """GitLab CI: CI_API_V4_URL, CI_PROJECT_ID, a project access token in RECONCILE_GITLAB_TOKEN
    (notes, statuses, issues) and the job's CI_JOB_TOKEN (the plan files in the package registry)."""

    name = "gitlab"

    def __init__(self, env=os.environ):
        self.env = env
        self.project = f"/projects/{env['CI_PROJECT_ID']}"
        self.api = RestClient(env["CI_API_V4_URL"], {"PRIVATE-TOKEN": env["RECONCILE_GITLAB_TOKEN"]})
        self.packages = RestClient(env["CI_API_V4_URL"], {"JOB-TOKEN": env.get("CI_JOB_TOKEN", "")})

    def run_url(self):
        return self.env.get("CI_JOB_URL", self.env.get("CI_PIPELINE_URL", ""))

    def change_request(self):
        sha = self.env.get("CI_MERGE_REQUEST_SOURCE_BRANCH_SHA") or self.env["CI_COMMIT_SHA"]
        return int(self.env["CI_MERGE_REQUEST_IID"]), sha

    def upsert_comment(self, number, marker, body):
        path = f"{self.project}/merge_requests/{number}/notes"
        mine = next((n for n in self.api.pages(path) if (n.get("body") or "").startswith(marker)), None)
        if mine:
            self.api.call("PUT", f"{path}/{mine['id']}", {"body": body})
        else:
            self.api.call("POST", path, {"body": body})

    def set_status(self, sha, state, description, url):
        gitlab_state = {"failure": "failed", "error": "failed"}.get(state, state)
        self.api.call("POST", f"{self.project}/statuses/{sha}", {
            "state": gitlab_state, "name": "reconcile/plan", "description": description[:255], "target_url": url})

    def merged_change_request(self, commit):
        requests = self.api.call("GET", f"{self.project}/repository/commits/{commit}/merge_requests") or []
        merged = [m for m in requests if m.get("state") == "merged"]
        exact = [m for m in merged if commit in (m.get("merge_commit_sha"), m.get("squash_commit_sha"))]
        chosen = (exact or merged or [None])[0]
        return (chosen["iid"], chosen["sha"]) if chosen else None

    def _package_path(self, name):
        # name is "<kind>-<number>-<sha>": package "<kind>-<number>", version "<sha>".
        package, version = name.rsplit("-", 1)
        return f"{self.project}/packages/generic/{package}/{version}/plan.json"

    def store_plan(self, name, path):
        with open(path, "rb") as handle:
            self.packages.call("PUT", self._package_path(name), raw=handle.read(), content_type="application/json")

    def fetch_plan(self, name, destination):
        payload = self.packages.call("GET", self._package_path(name), parse=False)
        if payload is None:
            return False
        with open(destination, "wb") as handle:
            handle.write(payload)
        return True

    def open_issues(self, label):
        return self.api.pages(f"{self.project}/issues?state=opened&labels={label}")

    def create_issue(self, title, body, label):
        self.api.call("POST", f"{self.project}/issues", {"title": title, "description": body, "labels": label})

    def update_issue(self, issue, body):
        self.api.call("PUT", f"{self.project}/issues/{issue['iid']}", {"description": body})

    def close_issue(self, issue, comment):
        self.api.call("POST", f"{self.project}/issues/{issue['iid']}/notes", {"body": comment})
        self.api.call("PUT", f"{self.project}/issues/{issue['iid']}", {"state_event": "close"})

    def issue_body(self, issue):
        return issue.get("description") or ""


def detect(env=os.environ):
    if env.get("GITHUB_ACTIONS") == "true":
        return GitHub(env)
    if env.get("GITLAB_CI") == "true":
        return GitLab(env)
    raise ForgeError("neither GITHUB_ACTIONS nor GITLAB_CI is 'true': run this inside a pipeline")
