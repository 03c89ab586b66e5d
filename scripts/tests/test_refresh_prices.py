"""scripts/refresh_prices.py on a small offer file in AWS's real format (figures made up)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import refresh_prices  # noqa: E402

FIXTURE = Path(__file__).with_name("fixtures") / "AmazonKinesis-offer.json"


def offer() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_picks_the_four_prices_of_each_commercial_region():
    table = refresh_prices.prices_of(offer())
    # The first tier of a tiered price; on-demand long-term retention and PUT units are not taken.
    assert table["eu-central-1"] == {"shardHour": 1.25, "extendedRetentionShardHour": 2.5,
                                     "longTermRetentionGBMonth": 3.75, "onDemandStreamHour": 5.0}
    assert "us-gov-west-1" not in table


def test_a_region_missing_a_price_is_left_out_and_named(tmp_path, capsys):
    out = tmp_path / "KinesisPriceList.swift"
    assert refresh_prices.main([str(FIXTURE), "--out", str(out)]) == 0
    assert "ap-southeast-9 left out: no extendedRetentionShardHour, longTermRetentionGBMonth, onDemandStreamHour" \
        in capsys.readouterr().err
    text = out.read_text(encoding="utf-8")
    assert ('"eu-central-1": [\n            "shardHour": 1.25, "extendedRetentionShardHour": 2.5, '
            '"longTermRetentionGBMonth": 3.75,\n            "onDemandStreamHour": 5.0\n        ]') in text
    assert "ap-southeast-9" not in text
    assert 'static let priceListPublished = "2026-11-01T00:00:00Z"' in text
    assert 'static let priceListVersion = "20261101000000"' in text


def test_check_mode_compares_with_the_written_table(tmp_path):
    out = tmp_path / "KinesisPriceList.swift"
    assert refresh_prices.main([str(FIXTURE), "--out", str(out), "--check"]) == 1
    refresh_prices.main([str(FIXTURE), "--out", str(out)])
    assert refresh_prices.main([str(FIXTURE), "--out", str(out), "--check"]) == 0


def test_per_region_files_merge_like_the_all_region_file(tmp_path):
    whole = offer()
    files = []
    for region in ("eu-central-1", "ap-southeast-9"):
        part = dict(whole, products={sku: p for sku, p in whole["products"].items()
                                     if p["attributes"]["regionCode"] == region})
        path = tmp_path / f"{region}.json"
        path.write_text(json.dumps(part), encoding="utf-8")
        files.append(str(path))
    out_parts, out_whole = tmp_path / "parts.swift", tmp_path / "whole.swift"
    refresh_prices.main(files + ["--out", str(out_parts)])
    refresh_prices.main([str(FIXTURE), "--out", str(out_whole)])
    assert out_parts.read_text(encoding="utf-8") == out_whole.read_text(encoding="utf-8")


def test_a_file_that_is_not_a_kinesis_offer_is_refused(tmp_path, capsys):
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"offerCode": "AmazonEC2", "products": {}}), encoding="utf-8")
    assert refresh_prices.main([str(other), "--out", str(tmp_path / "x.swift")]) == 1
    assert "not an AmazonKinesis offer file" in capsys.readouterr().err


def test_arguments_are_required():
    with pytest.raises(SystemExit):
        refresh_prices.main([])
