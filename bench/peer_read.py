#!/usr/bin/env python3
"""What users do today to read the live state reconcile reads: a boto3 script.

  peer_read.py sequential INVENTORY.json   one resource after another
  peer_read.py pool INVENTORY.json         a thread pool of 16 workers (the best a Python user would write)
  peer_read.py MODE INVENTORY.json --standard-retries
                                           botocore's standard retry mode (3 attempts, backoff), as a
                                           script run against AWS's quotas would use; a throttling
                                           error that outlives the retries is counted as surfaced to
                                           the user, then the read is tried again a second later so
                                           the run finishes

Per directly managed stream: DescribeStreamSummary + ListTagsForStream; per stack:
DescribeStacks + GetTemplate; per stream in a stack: DescribeStreamSummary +
ListTagsForStream (the drift check: is the live stream still what the template says?).
These are the reads `reconcile plan` makes for the same manifests, minus its discovery pass. The endpoint and credentials come from the environment
(AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, ...). Prints a JSON line: how many resources it read and
how many throttling errors reached it after botocore's retries ("surfaced").
"""

import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

POOL_WORKERS = 16
THROTTLING_CODES = {"LimitExceededException", "Throttling", "ThrottlingException", "ThrottledException"}
MAX_SURFACED_PER_READ = 300  # a read that keeps failing stops the run rather than looping forever
PAUSE_AFTER_SURFACED_SECONDS = 1.0  # what a script's own retry loop would wait


class Surfaced:
    """Throttling errors that outlived botocore's retries, counted across threads."""

    def __init__(self):
        self.count, self.lock = 0, threading.Lock()

    def reading(self, reader, client, name):
        for _ in range(MAX_SURFACED_PER_READ):
            try:
                return reader(client, name)
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") not in THROTTLING_CODES:
                    raise
                with self.lock:
                    self.count += 1
                time.sleep(PAUSE_AFTER_SURFACED_SECONDS)
        raise SystemExit(f"{name}: still throttled after {MAX_SURFACED_PER_READ} tries")


def read_stream(kinesis, name: str) -> dict:
    summary = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    tags = kinesis.list_tags_for_stream(StreamName=name)["Tags"]
    return {"summary": summary, "tags": tags}


def read_stack(cloudformation, name: str) -> dict:
    stack = cloudformation.describe_stacks(StackName=name)["Stacks"][0]
    template = cloudformation.get_template(StackName=name)["TemplateBody"]
    return {"stack": stack, "template": template}


def main() -> int:
    mode, inventory_path = sys.argv[1], sys.argv[2]
    with open(inventory_path, encoding="utf-8") as handle:
        inventory = json.load(handle)
    config = Config(max_pool_connections=POOL_WORKERS)
    if "--standard-retries" in sys.argv[3:]:
        config = config.merge(Config(retries={"mode": "standard"}))
    surfaced = Surfaced()
    kinesis = boto3.client("kinesis", config=config)
    cloudformation = boto3.client("cloudformation", config=config)
    jobs = [(read_stream, kinesis, name) for name in inventory["direct_streams"]]
    jobs += [(read_stack, cloudformation, name) for name in inventory["stacks"]]
    jobs += [(read_stream, kinesis, name) for name in inventory.get("stack_streams", [])]
    if mode == "sequential":
        results = [surfaced.reading(reader, client, name) for reader, client, name in jobs]
    elif mode == "pool":
        with ThreadPoolExecutor(max_workers=POOL_WORKERS) as pool:
            results = list(pool.map(lambda job: surfaced.reading(*job), jobs))
    else:
        raise SystemExit(f"unknown mode {mode}: sequential or pool")
    print(json.dumps({"read": len(results), "surfaced": surfaced.count}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
