import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import boto3
import pytest

sys.path.insert(0, os.path.dirname(__file__))
from fake_forge import FakeForge  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
GITOPS = os.path.join(ROOT, "examples", "gitops")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url, process):
    for _ in range(150):
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited before answering")
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


@pytest.fixture
def moto(tmp_path):
    """moto behind the project's fault proxy (no faults): the proxy answers what moto 5.2.1 lacks
    and AWS has (consumer tags, the tagging API's stream listing, ...), as the Swift end-to-end
    tests do, so the pipeline runs against what AWS would answer."""
    port = free_port()
    moto_process = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(f"http://127.0.0.1:{port}/moto-api/", moto_process)
    port_file = tmp_path / "proxy-port"
    proxy_process = subprocess.Popen(
        [sys.executable, os.path.join(ROOT, "Tests", "Proxy", "fault_proxy.py"), "--upstream",
         f"http://127.0.0.1:{port}", "--port", "0", "--port-file", str(port_file)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(150):
        if port_file.exists() and port_file.read_text().strip():
            break
        time.sleep(0.1)
    endpoint = f"http://127.0.0.1:{port_file.read_text().strip()}"
    wait_for(endpoint + "/__proxy/stats", proxy_process)
    yield endpoint
    for process in (proxy_process, moto_process):
        process.terminate()
        process.wait()


@pytest.fixture
def forge():
    fake = FakeForge()
    yield fake
    fake.stop()


@pytest.fixture
def toolbox(tmp_path):
    """What the install step puts on PATH: the reconcile binary and reconcile-ci, as in the archive."""
    binary = os.environ.get("RECONCILE_BIN") or os.path.join(ROOT, ".build", "debug", "reconcile")
    if not os.path.exists(binary):
        pytest.fail(f"no reconcile binary at {binary}: run 'swift build' (or set RECONCILE_BIN)")
    folder = tmp_path / "toolbox"
    shutil.copytree(os.path.join(GITOPS, "ci"), folder, ignore=shutil.ignore_patterns("__pycache__"))
    os.symlink(binary, folder / "reconcile")
    return str(folder)


class ManifestsRepository:
    """A user's repository: manifests/ and the two example pipeline files, nothing else."""

    def __init__(self, root, moto, forge, toolbox):
        self.root, self.moto, self.forge, self.toolbox = root, moto, forge, toolbox
        (root / "manifests").mkdir()
        (root / ".github" / "workflows").mkdir(parents=True)
        shutil.copy(os.path.join(GITOPS, "reconcile.yml"), root / ".github" / "workflows" / "reconcile.yml")
        shutil.copy(os.path.join(GITOPS, "gitlab-ci.yml"), root / ".gitlab-ci.yml")
        self.aws = dict(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_REGION="eu-central-1",
                        AWS_DEFAULT_REGION="eu-central-1", AWS_ENDPOINT_URL=moto)

    def write(self, name, text):
        (self.root / "manifests" / name).write_text(text)

    def files(self):
        return sorted(str(p.relative_to(self.root)) for p in self.root.rglob("*") if p.is_file()
                      and ".reconcile-ci" not in p.parts)

    def kinesis(self):
        return boto3.client("kinesis", endpoint_url=self.moto, region_name="eu-central-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def streams(self):
        return sorted(self.kinesis().list_streams()["StreamNames"])

    def run(self, command, env):
        """`reconcile-ci COMMAND` as a pipeline step runs it: in the checkout, tools on PATH."""
        full = dict(PATH=self.toolbox + os.pathsep + os.environ["PATH"], HOME=str(self.root), **self.aws, **env)
        return subprocess.run(["reconcile-ci", command], cwd=self.root, env=full, capture_output=True, text=True)


@pytest.fixture
def repository(tmp_path, moto, forge, toolbox):
    root = tmp_path / "manifests-repo"
    root.mkdir()
    return ManifestsRepository(root, moto, forge, toolbox)
