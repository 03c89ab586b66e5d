#!/usr/bin/env python3
"""What users do today to read the live state reconcile reads: a boto3 script.

  peer_read.py sequential INVENTORY.json   one resource after another
  peer_read.py pool INVENTORY.json         a thread pool of 16 workers (the best a Python user would write)

Per directly managed stream: DescribeStreamSummary + ListTagsForStream; per stack:
DescribeStacks + GetTemplate; per stream in a stack: DescribeStreamSummary +
ListTagsForStream (the drift check: is the live stream still what the template says?).
These are the reads `reconcile plan` makes for the same manifests, minus its discovery pass. The endpoint and credentials come from the environment
(AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, ...). Prints how many resources it read.
"""

import json
import sys
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

POOL_WORKERS = 16


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
    kinesis = boto3.client("kinesis", config=config)
    cloudformation = boto3.client("cloudformation", config=config)
    jobs = [(read_stream, kinesis, name) for name in inventory["direct_streams"]]
    jobs += [(read_stack, cloudformation, name) for name in inventory["stacks"]]
    jobs += [(read_stream, kinesis, name) for name in inventory.get("stack_streams", [])]
    if mode == "sequential":
        results = [reader(client, name) for reader, client, name in jobs]
    elif mode == "pool":
        with ThreadPoolExecutor(max_workers=POOL_WORKERS) as pool:
            results = list(pool.map(lambda job: job[0](job[1], job[2]), jobs))
    else:
        raise SystemExit(f"unknown mode {mode}: sequential or pool")
    print(len(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
