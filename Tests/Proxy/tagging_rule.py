"""The Resource Groups Tagging API's GetResources for Kinesis streams, answered from moto's own
stream tags (test code only): moto's tagging API does not cover Kinesis streams.

As AWS documents GetResources: ``ResourceTypeFilters`` with ``kinesis:stream`` selects streams;
``TagFilters`` keep the resources that match every filter (a filter matches a resource that has
its ``Key`` and, when ``Values`` is given, one of those values); ``ResourcesPerPage`` is 1 to 100
(100 when absent); a ``PaginationToken`` continues a listing and the last page carries an empty
one; only tagged streams are listed; the answer is ``ResourceTagMappingList`` of
``{ResourceARN, Tags: [{Key, Value}]}``. Requests with ``ResourceARNList`` or other resource
types go on to moto unchanged. The others reach moto too, stripped to their resource type, so that
moto's IAM authentication decides whether the caller may call GetResources; the proxy answers
only what moto allowed.

Staleness (rule ``tagging_lag_seconds``, 0 by default): AWS's answer is eventually consistent.
With N > 0 the proxy answers from an index of the region's tags that it reads from moto at most
every N seconds, so a tag changed since the last read shows its old value (or a new stream is
missing) until the index is N seconds old. The first GetResources of a region reads the index.

Consumers (rule ``tagging_lists_consumers``, off by default): AWS does not document whether the
Tagging API indexes enhanced fan-out consumers. With the rule on, the listing also carries every
tagged consumer of the region, with the tags the proxy keeps for it (stream_settings_rule.py), its
ARN without the registration time; the staleness rule applies to them too.
"""

from __future__ import annotations

import base64
import http.client
import json
import time
import urllib.parse
import uuid

import stream_settings_rule

STREAM_TYPE = "kinesis:stream"
TARGET_PREFIX = "ResourceGroupsTaggingAPI_20170126."
CONTENT_TYPE = "application/x-amz-json-1.1"
MAX_PAGE = 100
MAX_LISTINGS_KEPT = 64  # listings whose pages a token can still continue
TAG_INDEX_PATH = "/_reconcile/kinesis-stream-tags"  # moto_tag_index.py's one-read index


def handles(call) -> bool:
    """Whether the proxy answers this request itself (GetResources of Kinesis streams)."""
    body = call.json_body
    types = body.get("ResourceTypeFilters") or []
    return (call.service == "tagging" and call.operation == "GetResources" and STREAM_TYPE in types
            and not body.get("ResourceARNList"))


def error(code: str, message: str):
    return json.dumps({"__type": code, "Message": message}).encode()


def answer(handler, call) -> tuple[int, bytes]:
    """(HTTP status, JSON body) for a GetResources of Kinesis streams."""
    state, body = handler.server.state, call.json_body
    per_page = body.get("ResourcesPerPage", MAX_PAGE)
    if not isinstance(per_page, int) or not 1 <= per_page <= MAX_PAGE:
        return 400, error("InvalidParameterException", "ResourcesPerPage must be between 1 and 100.")
    token = body.get("PaginationToken") or ""
    if token:
        listing, offset = continued(state, token)
        if listing is None:
            return 400, error("InvalidParameterException", "The PaginationToken is not valid.")
    else:
        listing, offset = start_listing(handler, call), 0
    resources = listing["resources"]
    page = resources[offset:offset + per_page]
    following = offset + len(page)
    next_token = make_token(listing["id"], following) if following < len(resources) else ""
    mappings = [{"ResourceARN": arn, "Tags": [{"Key": key, "Value": value} for key, value in sorted(tags.items())]}
                for arn, tags in page]
    return 200, json.dumps({"PaginationToken": next_token, "ResourceTagMappingList": mappings}).encode()


def start_listing(handler, call) -> dict:
    """The matching resources at the time of the first page; later pages read the same listing."""
    state = handler.server.state
    tags_by_arn = index(handler, call.region)
    filters = call.json_body.get("TagFilters") or []
    resources = sorted((arn, tags) for arn, tags in tags_by_arn.items() if tags and matches(tags, filters))
    listing = {"id": uuid.uuid4().hex, "resources": resources}
    with state.lock:
        listings = state.tagging_listings
        listings[listing["id"]] = listing
        while len(listings) > MAX_LISTINGS_KEPT:
            listings.pop(next(iter(listings)))
    return listing


def matches(tags: dict, filters: list) -> bool:
    """Every filter: the key is present and, when Values are given, its value is one of them."""
    for tag_filter in filters:
        key, values = tag_filter.get("Key"), tag_filter.get("Values") or []
        if key not in tags or (values and tags[key] not in values):
            return False
    return True


def make_token(listing_id: str, offset: int) -> str:
    return base64.b64encode(json.dumps({"listing": listing_id, "offset": offset}).encode()).decode()


def continued(state, token: str):
    try:
        decoded = json.loads(base64.b64decode(token, validate=True))
        listing_id, offset = decoded["listing"], int(decoded["offset"])
    except (ValueError, KeyError, TypeError):
        return None, 0
    with state.lock:
        listing = state.tagging_listings.get(listing_id)
    return listing, offset


def index(handler, region: str) -> dict:
    """The region's stream tags by ARN: from moto now, or as last read when the lag rule keeps them."""
    state = handler.server.state
    lag = float(state.rules.get("tagging_lag_seconds") or 0)
    with state.lock:
        kept = state.tagging_index.get(region)
    if lag > 0 and kept is not None and time.monotonic() - kept["read_at"] < lag:
        return kept["tags"]
    tags = read_moto_tags(handler, region)
    if state.rules.get("tagging_lists_consumers"):
        tags.update(consumer_tags(state, region))
    with state.lock:
        state.tagging_index[region] = {"read_at": time.monotonic(), "tags": tags}
    return tags


def consumer_tags(state, region: str) -> dict:
    """The region's consumers and their tags, by ARN without the registration time."""
    with state.lock:
        kept = stream_settings_rule.settings_of(state).consumer_tags
        return {arn: dict(tags) for arn, tags in kept.items() if arn.split(":")[3:4] == [region]}


def read_moto_tags(handler, region: str) -> dict:
    """Every stream of the signed region and its tags: in one read when moto runs as
    moto_tag_index.py, else with the proxy's own calls to moto, one per stream."""
    indexed = read_tag_index(handler, region)
    with handler.server.state.lock:
        handler.server.state.tag_reads["per_stream" if indexed is None else "moto_tag_index"] += 1
    if indexed is not None:
        return indexed
    tags_by_arn = {}
    for arn, name in list_streams(handler):
        tags_by_arn[arn] = stream_tags(handler, name)
    return tags_by_arn


def read_tag_index(handler, region: str) -> dict | None:
    """moto_tag_index.py's read of the region's stream tags; None when moto is plain moto_server
    (asked once: the same moto serves the proxy for its whole life)."""
    if handler.server.moto_has_tag_index is False:
        return None
    connection = http.client.HTTPConnection(handler.server.upstream_host, handler.server.upstream_port, timeout=30)
    query = urllib.parse.urlencode({"region": region})
    try:
        connection.request("GET", f"{TAG_INDEX_PATH}?{query}",
                           headers={"Authorization": handler.headers.get("Authorization", "")})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    try:
        streams = json.loads(body)["streams"] if response.status == 200 else None
    except (ValueError, KeyError, TypeError):
        streams = None  # plain moto_server routed the path to one of its services
    handler.server.moto_has_tag_index = streams is not None
    return None if streams is None else {stream["arn"]: stream["tags"] for stream in streams}


def list_streams(handler) -> list[tuple[str, str]]:
    streams, payload = [], {"Limit": 100}
    while True:
        status, body = handler.upstream("kinesis", "ListStreams", payload)
        if status != 200:
            raise RuntimeError(f"moto ListStreams answered {status}")
        answer_ = json.loads(body)
        summaries = answer_.get("StreamSummaries") or []
        names = answer_.get("StreamNames") or []
        arns = {summary.get("StreamName"): summary.get("StreamARN") for summary in summaries}
        for name in names:
            streams.append((arns.get(name) or stream_arn(handler, name), name))
        if not answer_.get("HasMoreStreams") or not names:
            return streams
        payload = {"Limit": 100, "ExclusiveStartStreamName": names[-1]}


def stream_arn(handler, name: str) -> str:
    status, body = handler.upstream("kinesis", "DescribeStreamSummary", {"StreamName": name})
    if status != 200:
        raise RuntimeError(f"moto DescribeStreamSummary {name} answered {status}")
    return json.loads(body)["StreamDescriptionSummary"]["StreamARN"]


def stream_tags(handler, name: str) -> dict:
    tags, payload = {}, {"StreamName": name, "Limit": 50}
    while True:
        status, body = handler.upstream("kinesis", "ListTagsForStream", payload)
        if status != 200:
            return tags  # deleted meanwhile: no tags to show
        answer_ = json.loads(body)
        page = answer_.get("Tags") or []
        tags.update({tag["Key"]: tag.get("Value", "") for tag in page})
        if not answer_.get("HasMoreTags") or not page:
            return tags
        payload = {"StreamName": name, "Limit": 50, "ExclusiveStartTagKey": page[-1]["Key"]}
