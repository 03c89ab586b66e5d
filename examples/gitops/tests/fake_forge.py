"""A scripted GitHub + GitLab REST API on a free loopback port: the subset reconcile-ci calls,
kept in memory, every call recorded. Tests seed pull requests and read back comments, statuses,
issues and stored plans."""
import http.server
import io
import json
import re
import threading
import urllib.parse
import zipfile


class FakeForge:
    def __init__(self):
        self.calls = []          # (method, path)
        self.comments = {}       # pull request number -> [{"id", "body"}]
        self.statuses = []       # (sha, body)
        self.pulls = {}          # commit -> [pull request]
        self.artifacts = []      # {"id", "name", "data", "created_at", "expired"}
        self.packages = {}       # path -> bytes
        self.issues = []         # {"number", "iid", "title", "body", "description", "state", "labels", "notes"}
        self.next_id = 1000
        handler = type("Handler", (_Handler,), {"forge": self})
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def new_id(self):
        self.next_id += 1
        return self.next_id

    # Seeding, as the forge and the upload-artifact action would.
    def add_merged_pull(self, commit, number, head, merge_commit=None):
        self.pulls.setdefault(commit, []).append({
            "number": number, "iid": number, "head": {"sha": head}, "sha": head, "state": "merged",
            "merged_at": "2026-01-01T00:00:00Z", "merge_commit_sha": merge_commit or commit})

    def upload_artifact(self, name, path):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as bundle:
            bundle.write(path, "plan.json")
        self.artifacts.append({"id": self.new_id(), "name": name, "data": buffer.getvalue(),
                               "created_at": f"2026-01-01T00:00:{len(self.artifacts):02d}Z", "expired": False})

    def writes(self):
        return [call for call in self.calls if call[0] != "GET"]


GITHUB_ROUTES = [
    ("GET", r"/repos/[^/]+/[^/]+/issues/(\d+)/comments", "list_comments"),
    ("POST", r"/repos/[^/]+/[^/]+/issues/(\d+)/comments", "create_comment"),
    ("PATCH", r"/repos/[^/]+/[^/]+/issues/comments/(\d+)", "update_comment"),
    ("POST", r"/repos/[^/]+/[^/]+/statuses/(\w+)", "create_status"),
    ("GET", r"/repos/[^/]+/[^/]+/commits/(\w+)/pulls", "commit_pulls"),
    ("GET", r"/repos/[^/]+/[^/]+/actions/artifacts", "list_artifacts"),
    ("GET", r"/repos/[^/]+/[^/]+/actions/artifacts/(\d+)/zip", "artifact_redirect"),
    ("GET", r"/blob/(\d+)", "artifact_blob"),
    ("GET", r"/repos/[^/]+/[^/]+/issues", "list_issues"),
    ("POST", r"/repos/[^/]+/[^/]+/issues", "create_issue"),
    ("PATCH", r"/repos/[^/]+/[^/]+/issues/(\d+)", "update_issue"),
]
GITLAB_ROUTES = [
    ("GET", r"/projects/\d+/merge_requests/(\d+)/notes", "list_comments"),
    ("POST", r"/projects/\d+/merge_requests/(\d+)/notes", "create_comment"),
    ("PUT", r"/projects/\d+/merge_requests/\d+/notes/(\d+)", "update_comment"),
    ("POST", r"/projects/\d+/statuses/(\w+)", "create_status"),
    ("GET", r"/projects/\d+/repository/commits/(\w+)/merge_requests", "commit_pulls"),
    ("PUT", r"/projects/\d+/packages/generic/(.+)", "put_package"),
    ("GET", r"/projects/\d+/packages/generic/(.+)", "get_package"),
    ("GET", r"/projects/\d+/issues", "list_issues"),
    ("POST", r"/projects/\d+/issues", "create_issue"),
    ("PUT", r"/projects/\d+/issues/(\d+)", "update_issue"),
    ("POST", r"/projects/\d+/issues/(\d+)/notes", "create_comment"),
]


class _Handler(http.server.BaseHTTPRequestHandler):
    forge = None

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def do_PATCH(self):
        self.route("PATCH")

    def do_PUT(self):
        self.route("PUT")

    def route(self, method):
        parsed = urllib.parse.urlsplit(self.path)
        path = parsed.path.removeprefix("/api/v4")
        self.query = dict(urllib.parse.parse_qsl(parsed.query))
        length = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(length) if length else b""
        self.forge.calls.append((method, path))
        for verb, pattern, name in GITHUB_ROUTES + GITLAB_ROUTES:
            match = re.fullmatch(pattern, path)
            if verb == method and match:
                return getattr(self, name)(*match.groups())
        self.send(404, {"message": "Not Found"})

    def send(self, status, payload, headers=None):
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def json_body(self):
        return json.loads(self.body or b"{}")

    def page(self, items):
        size, number = int(self.query.get("per_page", 30)), int(self.query.get("page", 1))
        return items[(number - 1) * size:number * size]

    def list_comments(self, number):
        self.send(200, self.page(self.forge.comments.get(int(number), [])))

    def create_comment(self, number):
        comment = {"id": self.forge.new_id(), "body": self.json_body()["body"]}
        issue = next((i for i in self.forge.issues if i["number"] == int(number)), None)
        (issue["notes"] if issue else self.forge.comments.setdefault(int(number), [])).append(comment)
        self.send(201, comment)

    def update_comment(self, comment_id):
        for comments in self.forge.comments.values():
            for comment in comments:
                if comment["id"] == int(comment_id):
                    comment["body"] = self.json_body()["body"]
                    return self.send(200, comment)
        self.send(404, {})

    def create_status(self, sha):
        self.forge.statuses.append((sha, self.json_body()))
        self.send(201, {})

    def commit_pulls(self, commit):
        self.send(200, self.forge.pulls.get(commit, []))

    def list_artifacts(self):
        found = [{k: v for k, v in a.items() if k != "data"} for a in self.forge.artifacts
                 if a["name"] == self.query.get("name")]
        self.send(200, {"total_count": len(found), "artifacts": found})

    def artifact_redirect(self, artifact_id):
        # As GitHub: the archive lives elsewhere, and that host must not see the API token.
        self.send(302, b"", {"Location": f"{self.forge.url}/blob/{artifact_id}"})

    def artifact_blob(self, artifact_id):
        if self.headers.get("Authorization"):
            return self.send(400, {"message": "the blob store rejects API credentials"})
        artifact = next(a for a in self.forge.artifacts if a["id"] == int(artifact_id))
        self.send(200, artifact["data"])

    def put_package(self, path):
        self.forge.packages[path] = self.body
        self.send(201, {"message": "201 Created"})

    def get_package(self, path):
        if path not in self.forge.packages:
            return self.send(404, {"message": "404 Not Found"})
        self.send(200, self.forge.packages[path])

    def list_issues(self):
        wanted = {"open", "opened"}
        issues = [i for i in self.forge.issues if i["state"] in wanted and self.query.get("labels") in i["labels"]]
        self.send(200, self.page(issues))

    def create_issue(self):
        body = self.json_body()
        labels = body.get("labels", [])
        issue = {"number": len(self.forge.issues) + 1, "iid": len(self.forge.issues) + 1, "title": body["title"],
                 "body": body.get("body"), "description": body.get("description"), "state": "open",
                 "labels": labels if isinstance(labels, list) else labels.split(","), "notes": []}
        self.forge.issues.append(issue)
        self.send(201, issue)

    def update_issue(self, number):
        issue = next(i for i in self.forge.issues if i["number"] == int(number))
        body = self.json_body()
        for key in ("body", "description", "state"):
            if key in body:
                issue[key] = body[key]
        if body.get("state_event") == "close":
            issue["state"] = "closed"
        self.send(200, issue)
