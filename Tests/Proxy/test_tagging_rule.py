"""GetResources of Kinesis streams (tagging_rule.py): moto's tagging API lists no streams; through the
proxy it lists them with their tags, pages and filters them as AWS documents, and can lag behind
moto's tags. Run: python3 -m pytest Tests/Proxy."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import boto3
import botocore.exceptions
import pytest
from botocore.config import Config
from conftest import CREDENTIALS, NO_RETRIES, RunningProxy


def make_streams(kinesis, count: int, tags=lambda index: {"team": "data"}) -> list[str]:
    names = [f"tagged-{index:02d}" for index in range(count)]
    for index, name in enumerate(names):
        kinesis.create_stream(StreamName=name, ShardCount=1)
        if tags(index):
            kinesis.add_tags_to_stream(StreamName=name, Tags=tags(index))
    return names


def all_pages(tagging, **parameters) -> tuple[list[dict], int]:
    """Every mapping, following PaginationToken; and how many pages it took."""
    mappings, pages, token = [], 0, ""
    while True:
        answer = tagging.get_resources(ResourceTypeFilters=["kinesis:stream"], PaginationToken=token, **parameters)
        pages += 1
        mappings += answer["ResourceTagMappingList"]
        token = answer["PaginationToken"]
        if not token:
            return mappings, pages


def tags_of(mapping: dict) -> dict:
    return {tag["Key"]: tag["Value"] for tag in mapping["Tags"]}


def test_moto_alone_lists_no_streams(proxy, direct):
    make_streams(direct("kinesis"), 2)
    answer = direct("resourcegroupstaggingapi").get_resources(ResourceTypeFilters=["kinesis:stream"])
    assert answer["ResourceTagMappingList"] == []


def test_tagged_streams_are_listed_with_their_arns_and_tags(proxy, direct):
    kinesis = direct("kinesis")
    make_streams(kinesis, 3, tags=lambda index: {"team": f"t{index}"} if index < 2 else None)
    mappings, _ = all_pages(proxy.client("resourcegroupstaggingapi"))
    arns = {kinesis.describe_stream_summary(StreamName=f"tagged-0{index}")["StreamDescriptionSummary"]["StreamARN"]
            for index in range(2)}
    assert {mapping["ResourceARN"] for mapping in mappings} == arns, "untagged streams are not listed"
    assert sorted(tags_of(mapping)["team"] for mapping in mappings) == ["t0", "t1"]
    assert [entry["rule"] for entry in proxy.log() if entry["operation"] == "GetResources"] == ["tagging_streams"]


def test_pages_follow_resources_per_page_and_end_with_an_empty_token(proxy, direct):
    make_streams(direct("kinesis"), 7)
    tagging = proxy.client("resourcegroupstaggingapi")
    mappings, pages = all_pages(tagging, ResourcesPerPage=3)
    assert (len(mappings), pages) == (7, 3)
    assert len({mapping["ResourceARN"] for mapping in mappings}) == 7, "no stream twice across pages"
    assert len(tagging.get_resources(ResourceTypeFilters=["kinesis:stream"])["ResourceTagMappingList"]) == 7


@pytest.mark.parametrize("per_page", [0, 101])
def test_a_page_size_outside_1_to_100_is_refused(proxy, per_page):
    with pytest.raises(botocore.exceptions.ClientError):
        proxy.client("resourcegroupstaggingapi").get_resources(
            ResourceTypeFilters=["kinesis:stream"], ResourcesPerPage=per_page)


def test_an_unknown_pagination_token_is_refused(proxy):
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        proxy.client("resourcegroupstaggingapi").get_resources(
            ResourceTypeFilters=["kinesis:stream"], PaginationToken="bm90LWEtdG9rZW4=")
    assert raised.value.response["Error"]["Code"] == "InvalidParameterException"


def test_tag_filters_and_across_filters_or_across_values(proxy, direct):
    owners = ["a", "b", "c", None]
    make_streams(direct("kinesis"), 4,
                 tags=lambda index: {"team": "data", **({"owner": owners[index]} if owners[index] else {})})
    tagging = proxy.client("resourcegroupstaggingapi")

    def names(filters):
        mappings, _ = all_pages(tagging, TagFilters=filters)
        return sorted(mapping["ResourceARN"].rsplit("/", 1)[1] for mapping in mappings)

    assert names([{"Key": "owner"}]) == ["tagged-00", "tagged-01", "tagged-02"], "a key alone: any value"
    assert names([{"Key": "owner", "Values": ["a", "c"]}]) == ["tagged-00", "tagged-02"]
    assert names([{"Key": "owner", "Values": ["a"]}, {"Key": "team", "Values": ["data"]}]) == ["tagged-00"]
    assert names([{"Key": "owner", "Values": ["a"]}, {"Key": "team", "Values": ["other"]}]) == []


def test_with_a_lag_the_answer_shows_the_tags_as_they_were(proxy, direct):
    proxy.configure({"rules": {"tagging_lag_seconds": 1.5}})
    kinesis = direct("kinesis")
    make_streams(kinesis, 2)
    tagging = proxy.client("resourcegroupstaggingapi")
    first, _ = all_pages(tagging)
    kinesis.add_tags_to_stream(StreamName="tagged-00", Tags={"team": "changed"})
    make_streams(kinesis, 0)
    stale, _ = all_pages(tagging)
    assert sorted(tags_of(mapping)["team"] for mapping in stale) == ["data", "data"], "the old value, for now"
    assert stale == first
    time.sleep(1.6)
    fresh, _ = all_pages(tagging)
    assert sorted(tags_of(mapping)["team"] for mapping in fresh) == ["changed", "data"]


def test_consumers_are_listed_only_when_the_rule_says_the_tagging_api_indexes_them(proxy, direct):
    kinesis = direct("kinesis")
    make_streams(kinesis, 1)
    stream_arn = kinesis.describe_stream_summary(StreamName="tagged-00")["StreamDescriptionSummary"]["StreamARN"]
    through_proxy = proxy.client("kinesis")
    consumer = through_proxy.register_stream_consumer(StreamARN=stream_arn, ConsumerName="reader",
                                                      Tags={"team": "readers"})["Consumer"]
    tagging = proxy.client("resourcegroupstaggingapi")
    listed, _ = all_pages(tagging)
    assert [mapping["ResourceARN"] for mapping in listed] == [stream_arn], "off by default: streams only"
    proxy.configure({"rules": {"tagging_lists_consumers": True}})
    listed, _ = all_pages(tagging)
    consumer_key = consumer["ConsumerARN"].rsplit(":", 1)[0] if consumer["ConsumerARN"].count(":") > 5 \
        else consumer["ConsumerARN"]
    assert {mapping["ResourceARN"]: tags_of(mapping) for mapping in listed} == {
        stream_arn: {"team": "data"}, consumer_key: {"team": "readers"}}


def test_without_a_lag_a_change_shows_at_once(proxy, direct):
    kinesis = direct("kinesis")
    make_streams(kinesis, 1)
    tagging = proxy.client("resourcegroupstaggingapi")
    all_pages(tagging)
    kinesis.add_tags_to_stream(StreamName="tagged-00", Tags={"team": "changed"})
    fresh, _ = all_pages(tagging)
    assert [tags_of(mapping)["team"] for mapping in fresh] == ["changed"]


def test_the_request_passes_the_model_check_and_a_bad_one_does_not(proxy):
    tagging = proxy.client("resourcegroupstaggingapi")
    tagging.get_resources(ResourceTypeFilters=["kinesis:stream"], ResourcesPerPage=100,
                          TagFilters=[{"Key": "reconcile:project", "Values": ["default"]}])
    assert all(entry["rule"] != "model_check" for entry in proxy.log())
    unchecked = proxy.client("resourcegroupstaggingapi", NO_RETRIES.merge(Config(parameter_validation=False)))
    with pytest.raises(botocore.exceptions.ClientError):
        unchecked.get_resources(ResourceTypeFilters=["kinesis:stream"], TagFilters=[{"Key": ""}])
    assert [entry["rule"] for entry in proxy.log()][-1] == "model_check"


def test_a_scripted_access_denied_answers_as_iam_would(proxy):
    proxy.configure({"script": [{"operation": "GetResources", "fault": "access_denied"}]})
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        proxy.client("resourcegroupstaggingapi").get_resources(ResourceTypeFilters=["kinesis:stream"])
    assert raised.value.response["Error"]["Code"] == "AccessDeniedException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_over_plain_moto_the_tags_are_read_one_stream_at_a_time(proxy, direct):
    make_streams(direct("kinesis"), 2)
    all_pages(proxy.client("resourcegroupstaggingapi"))
    assert proxy.stats()["tag_reads"] == {"per_stream": 1}


def test_over_moto_tag_index_the_same_listing_takes_one_read_of_moto(moto_tag_index_endpoint):
    urllib.request.urlopen(urllib.request.Request(moto_tag_index_endpoint + "/moto-api/reset", method="POST"),
                           timeout=10)
    kinesis = boto3.client("kinesis", endpoint_url=moto_tag_index_endpoint, config=NO_RETRIES, **CREDENTIALS)
    make_streams(kinesis, 3, tags=lambda index: {"team": f"t{index}"} if index < 2 else None)
    kinesis.add_tags_to_stream(StreamName="tagged-01", Tags={"owner": "b"})
    running = RunningProxy(moto_tag_index_endpoint)
    try:
        mappings, _ = all_pages(running.client("resourcegroupstaggingapi"), ResourcesPerPage=1)
        assert running.stats()["tag_reads"] == {"moto_tag_index": 1}
    finally:
        running.stop()
    listed = {mapping["ResourceARN"].rsplit("/", 1)[1]: tags_of(mapping) for mapping in mappings}
    assert listed == {"tagged-00": {"team": "t0"}, "tagged-01": {"team": "t1", "owner": "b"}}


def test_moto_tag_index_reads_the_account_of_the_callers_key_and_needs_a_region(moto_tag_index_endpoint):
    urllib.request.urlopen(urllib.request.Request(moto_tag_index_endpoint + "/moto-api/reset", method="POST"),
                           timeout=10)
    kinesis = boto3.client("kinesis", endpoint_url=moto_tag_index_endpoint, config=NO_RETRIES, **CREDENTIALS)
    make_streams(kinesis, 1)
    authorization = "AWS4-HMAC-SHA256 Credential=testing/20261201/eu-central-1/tagging/aws4_request"

    def read(query: str):
        request = urllib.request.Request(f"{moto_tag_index_endpoint}/_reconcile/kinesis-stream-tags{query}",
                                         headers={"Authorization": authorization})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())["streams"]

    assert [stream["tags"] for stream in read("?region=eu-central-1")] == [{"team": "data"}]
    assert read("?region=us-west-2") == [], "another region's streams are not listed"
    with pytest.raises(urllib.error.HTTPError) as raised:
        read("")
    assert raised.value.code == 400
