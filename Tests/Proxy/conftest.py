"""Fixtures: one moto server per test session (reset before each test), one proxy per test."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

PROXY_SCRIPT = Path(__file__).with_name("fault_proxy.py")
MOTO_TAG_INDEX_SCRIPT = Path(__file__).with_name("moto_tag_index.py")
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "eu-central-1"}
# total_max_attempts counts the first try; "max_attempts" would still allow one retry.
NO_RETRIES = Config(retries={"total_max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_accepting(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process exited early with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listening on {port} after {seconds} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)


def serve_moto(command: list[str]):
    """A moto server started with `command` plus its host and port; yields its endpoint."""
    port = free_port()
    process = subprocess.Popen(command + ["-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_accepting(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


@pytest.fixture(scope="session")
def moto_endpoint():
    yield from serve_moto(["moto_server"])


@pytest.fixture(scope="session")
def moto_tag_index_endpoint():
    """moto run as moto_tag_index.py: moto_server plus the one-read tag index the proxy uses."""
    yield from serve_moto([sys.executable, str(MOTO_TAG_INDEX_SCRIPT)])


class RunningProxy:
    """A fault_proxy.py process; `config`/`log` talk to its control API."""

    def __init__(self, upstream: str, config: dict | None = None):
        self.directory = tempfile.TemporaryDirectory(prefix="fault-proxy-")
        port_file = os.path.join(self.directory.name, "port")
        self.log_path = os.path.join(self.directory.name, "log.jsonl")
        command = [sys.executable, str(PROXY_SCRIPT), "--upstream", upstream, "--port", "0",
                   "--port-file", port_file, "--log", self.log_path]
        if config is not None:
            config_path = os.path.join(self.directory.name, "config.json")
            Path(config_path).write_text(json.dumps(config))
            command += ["--config", config_path]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while not os.path.exists(port_file):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("fault proxy did not start")
            time.sleep(0.02)
        self.port = int(Path(port_file).read_text())
        self.endpoint = f"http://127.0.0.1:{self.port}"

    def control(self, method: str, path: str, payload: bytes | None = None) -> bytes:
        request = urllib.request.Request(self.endpoint + path, data=payload, method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.read()

    def configure(self, config: dict) -> None:
        self.control("POST", "/__proxy/config", json.dumps(config).encode())

    def log(self) -> list[dict]:
        return [json.loads(line) for line in self.control("GET", "/__proxy/log").decode().splitlines()]

    def stats(self) -> dict:
        return json.loads(self.control("GET", "/__proxy/stats"))

    def client(self, service: str, config: Config = NO_RETRIES):
        return boto3.client(service, endpoint_url=self.endpoint, config=config, **CREDENTIALS)

    def stop(self) -> None:
        stop(self.process)
        self.directory.cleanup()


@pytest.fixture
def moto(moto_endpoint):
    """moto's endpoint, reset to empty for this test."""
    urllib.request.urlopen(urllib.request.Request(moto_endpoint + "/moto-api/reset", method="POST"), timeout=10)
    return moto_endpoint


@pytest.fixture
def proxy(moto):
    running = RunningProxy(moto)
    yield running
    running.stop()


@pytest.fixture
def direct(moto):
    """boto3 clients that talk to moto without the proxy, to check what reached it."""
    return lambda service: boto3.client(service, endpoint_url=moto, config=NO_RETRIES, **CREDENTIALS)
