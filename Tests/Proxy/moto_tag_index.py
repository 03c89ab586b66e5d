"""moto's server, unchanged, plus one read for the fault proxy (test code only): every Kinesis stream
of an account and region with its tags, in one answer.

The proxy answers the Resource Groups Tagging API's ``GetResources`` for Kinesis streams itself,
because moto 5.2.1's tagging API does not cover them (tagging_rule.py). Without this read it asks
moto for every stream's tags one ``ListTagsForStream`` at a time: at 1,000 streams a single
``GetResources`` listing cost moto 1,010 calls, which AWS's service does not, and a benchmark would
charge them to the client that made one bulk call. With it the listing costs moto one read.

Run exactly as ``moto_server`` (same arguments). The read is ``GET /_reconcile/kinesis-stream-tags
?region=R`` with the caller's ``Authorization`` header; its access key picks moto's account as moto
itself does. The answer is ``{"streams": [{"arn": ..., "tags": {...}}]}``. Any other request goes to
moto unchanged.
"""

from __future__ import annotations

import json
import re
import urllib.parse

import moto.server

TAG_INDEX_PATH = "/_reconcile/kinesis-stream-tags"


def account_of(authorization: str) -> str:
    """The account moto serves this access key from (its default account for an unknown key)."""
    from moto.iam.models import get_account_id_from

    match = re.search(r"Credential=([^/,\s]+)/", authorization or "")
    return get_account_id_from(match.group(1) if match else "")


def stream_tags(account: str, region: str) -> list[dict]:
    """Each stream's ARN and a copy of its tags, read from moto's Kinesis backend in this process."""
    from moto.kinesis.models import kinesis_backends

    backend = kinesis_backends[account][region]
    # list(): moto's request threads may add or remove streams while this one reads.
    return [{"arn": stream.arn, "tags": dict(stream.tags)} for stream in list(backend.streams.values())]


class WithTagIndex:
    """A WSGI application: the tag index read, else moto's own dispatcher."""

    def __init__(self, moto_app):
        self.moto_app = moto_app

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != TAG_INDEX_PATH or environ.get("REQUEST_METHOD") != "GET":
            return self.moto_app(environ, start_response)
        query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        region = (query.get("region") or [""])[0]
        if not region:
            return respond(start_response, "400 Bad Request", {"message": "region is required"})
        account = account_of(environ.get("HTTP_AUTHORIZATION", ""))
        return respond(start_response, "200 OK", {"streams": stream_tags(account, region)})


def respond(start_response, status: str, document: dict):
    body = json.dumps(document).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def main() -> None:
    serve = moto.server.run_simple

    def run_simple_with_tag_index(host, port, application, **options):
        serve(host, port, WithTagIndex(application), **options)

    moto.server.run_simple = run_simple_with_tag_index
    moto.server.main()


if __name__ == "__main__":
    main()
