"""The composite action's install step against a local release server: the archive is checked
against its sha256, unpacked, and its folder added to PATH; a wrong digest installs nothing."""
import functools
import hashlib
import http.server
import os
import subprocess
import tarfile
import threading

import pytest

from conftest import GITOPS

NAME = f"reconcile-9.9.9-linux-{os.uname().machine}"


@pytest.fixture
def release(tmp_path):
    """A release download folder holding an archive whose `reconcile` prints a version."""
    folder = tmp_path / "releases" / "acme" / "reconcile" / "releases" / "download" / "v9.9.9"
    folder.mkdir(parents=True)
    content = tmp_path / NAME
    content.mkdir()
    (content / "reconcile").write_text("#!/bin/sh\necho '9.9.9 (commit 0123456789ab)'\n")
    (content / "reconcile").chmod(0o755)
    with tarfile.open(folder / f"{NAME}.tar.gz", "w:gz") as archive:
        archive.add(content, arcname=NAME)
    digest = hashlib.sha256((folder / f"{NAME}.tar.gz").read_bytes()).hexdigest()
    (folder / f"{NAME}.tar.gz.sha256").write_text(f"{digest}  {NAME}.tar.gz\n")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "releases"))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", digest
    server.shutdown()


def install(tmp_path, server, expected=""):
    outputs, path = tmp_path / "outputs", tmp_path / "path"
    outputs.write_text("")
    path.write_text("")
    env = dict(PATH=os.environ["PATH"], NAME=NAME, VERSION="9.9.9", EXPECTED_SHA256=expected,
               REPOSITORY="acme/reconcile", SERVER=server, TOOL_CACHE=str(tmp_path / "cache"), CACHED="false",
               GITHUB_OUTPUT=str(outputs), GITHUB_PATH=str(path))
    result = subprocess.run([os.path.join(GITOPS, "ci", "install-reconcile.sh")], env=env,
                            capture_output=True, text=True)
    return result, path.read_text().strip()


def test_installs_a_checked_archive_onto_path(tmp_path, release):
    server, digest = release
    result, path = install(tmp_path, server)
    assert result.returncode == 0, result.stderr
    assert "9.9.9 (commit 0123456789ab)" in result.stdout
    assert path == str(tmp_path / "cache" / "reconcile" / NAME / NAME)
    assert os.access(os.path.join(path, "reconcile"), os.X_OK)
    pinned, _ = install(tmp_path, server, expected=digest)
    assert pinned.returncode == 0, pinned.stderr


def test_a_wrong_digest_installs_nothing(tmp_path, release):
    server, _ = release
    result, path = install(tmp_path, server, expected="0" * 64)
    assert result.returncode == 1
    assert "expected " + "0" * 64 in result.stderr
    assert path == "" and not (tmp_path / "cache" / "reconcile" / NAME).exists()
