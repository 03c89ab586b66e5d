#!/usr/bin/env python3
"""Rebuilds reconcile's Kinesis Data Streams price table from AWS's public price list.

AWS publishes every list price as an "offer file" (the AWS Price List Bulk API, no credentials):
https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonKinesis/current/index.json holds every
region (its region_index.json lists the per-region files, which work as well). This script reads saved
offer files, picks four prices per commercial region and writes them, with the offer's version and
publication date, to Sources/ReconcileKit/Capacity/KinesisPriceList.swift:

  shardHour                   provisioned shard-hour       usagetype *Storage-ShardHour,            operation shardHourStorage
  extendedRetentionShardHour  shard-hour above 24 h         usagetype *Extended-ShardHour,           operation shardHourStorage
  longTermRetentionGBMonth    GB-month beyond 7 days        usagetype *LongTermRetention-ByteHrs,    operation LongTermRetentionByteHrs
  onDemandStreamHour          on-demand stream-hour         usagetype *OnDemand-StreamHour,          operation OnDemandStreamHr

A region missing any of them is left out (and named on stderr), never filled in. Only "AWS Region"
locations of the commercial partition are kept (no GovCloud, ISO, sovereign or China regions).

  scripts/refresh_prices.py --download                 # fetch the current offer file (needs network)
  scripts/refresh_prices.py OFFER.json [OFFER.json...] # from saved offer files
  scripts/refresh_prices.py --check OFFER.json          # exit 1 if the committed table differs

Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.request
from pathlib import Path

OFFER_URL = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonKinesis/current/index.json"
TABLE_PATH = Path(__file__).resolve().parent.parent / "Sources/ReconcileKit/Capacity/KinesisPriceList.swift"
FIELDS = {
    "shardHour": (re.compile(r"(^|-)Storage-ShardHour$"), "shardHourStorage"),
    "extendedRetentionShardHour": (re.compile(r"(^|-)Extended-ShardHour$"), "shardHourStorage"),
    "longTermRetentionGBMonth": (re.compile(r"(^|-)LongTermRetention-ByteHrs$"), "LongTermRetentionByteHrs"),
    "onDemandStreamHour": (re.compile(r"(^|-)OnDemand-StreamHour$"), "OnDemandStreamHr"),
}
NON_COMMERCIAL = ("us-gov-", "us-iso", "cn-", "eusc-")


class OfferError(ValueError):
    """The file is not an AmazonKinesis offer file."""


def field_of(attributes: dict) -> str | None:
    usage, operation = attributes.get("usagetype", ""), attributes.get("operation", "")
    for field, (pattern, wanted_operation) in FIELDS.items():
        if pattern.search(usage) and operation == wanted_operation:
            return field
    return None


def first_tier_usd(terms: dict) -> float | None:
    """The on-demand price of the first tier (beginRange 0) of one SKU's terms."""
    for term in terms.values():
        for dimension in (term.get("priceDimensions") or {}).values():
            if str(dimension.get("beginRange", "0")) in ("0", "0.0"):
                usd = (dimension.get("pricePerUnit") or {}).get("USD")
                return float(usd) if usd is not None else None
    return None


def prices_of(offer: dict) -> dict[str, dict[str, float]]:
    """region code -> field -> USD, for every commercial region the offer prices."""
    if offer.get("offerCode") != "AmazonKinesis" or "products" not in offer:
        raise OfferError("not an AmazonKinesis offer file (offerCode, products)")
    on_demand = (offer.get("terms") or {}).get("OnDemand") or {}
    table: dict[str, dict[str, float]] = {}
    for sku, product in offer["products"].items():
        attributes = product.get("attributes") or {}
        region = attributes.get("regionCode", "")
        if attributes.get("locationType") != "AWS Region" or not region or region.startswith(NON_COMMERCIAL):
            continue
        field = field_of(attributes)
        price = first_tier_usd(on_demand.get(sku) or {}) if field else None
        if field and price is not None:
            table.setdefault(region, {})[field] = price
    return table


def complete(table: dict[str, dict[str, float]]) -> tuple[dict[str, dict[str, float]], list[str]]:
    """The regions with all four prices, and the names of those left out."""
    kept = {region: fields for region, fields in table.items() if set(fields) == set(FIELDS)}
    return kept, sorted(set(table) - set(kept))


def swift_number(value: float) -> str:
    text = f"{value:.10f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def render(table: dict[str, dict[str, float]], version: str, published: str) -> str:
    """The Swift file, laid out as swift-format (the repository's settings) leaves it."""
    rows = []
    for index, region in enumerate(sorted(table)):
        prices = [f'"{field}": {swift_number(table[region][field])}' for field in FIELDS]
        comma = "," if index < len(table) - 1 else ""
        rows.append(f'        "{region}": [\n            {", ".join(prices[:3])},\n            {prices[3]}\n        ]{comma}')
    literal = "[\n" + "\n".join(rows) + "\n    ]" if rows else "[:]"
    return f"""// Generated by scripts/refresh_prices.py from AWS's price list; do not edit by hand (README:
// "Refreshing the price table").
extension KinesisPricing {{
    /// Where `priceList` comes from.
    static let priceListSource =
        "{OFFER_URL}"
    /// The offer file's `version` and `publicationDate`; empty until the table is first refreshed.
    static let priceListVersion = "{version}"
    static let priceListPublished = "{published}"
    /// USD per region: shardHour, extendedRetentionShardHour, longTermRetentionGBMonth, onDemandStreamHour.
    static let priceList: [String: [String: Double]] = {literal}
}}
"""


def load(paths: list[str], download: bool) -> list[dict]:
    if download:
        with urllib.request.urlopen(OFFER_URL, timeout=300) as response:
            return [json.load(response)]
    return [json.loads(Path(path).read_text(encoding="utf-8")) for path in paths]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("offers", nargs="*", help="saved AmazonKinesis offer files (all-region or per-region)")
    parser.add_argument("--download", action="store_true", help=f"fetch {OFFER_URL}")
    parser.add_argument("--check", action="store_true", help="compare with the committed table instead of writing")
    parser.add_argument("--out", default=str(TABLE_PATH), help="the Swift file to write")
    arguments = parser.parse_args(argv)
    if not arguments.offers and not arguments.download:
        parser.error("give offer files or --download")
    try:
        offers = load(arguments.offers, arguments.download)
        merged: dict[str, dict[str, float]] = {}
        for offer in offers:
            for region, fields in prices_of(offer).items():
                merged.setdefault(region, {}).update(fields)
    except (OSError, ValueError) as error:
        print(f"refresh_prices: {error}", file=sys.stderr)
        return 1
    table, incomplete = complete(merged)
    for region in incomplete:
        missing = ", ".join(sorted(set(FIELDS) - set(merged[region])))
        print(f"refresh_prices: {region} left out: no {missing} in the price list", file=sys.stderr)
    newest = max(offers, key=lambda offer: offer.get("publicationDate", ""))
    text = render(table, newest.get("version", ""), newest.get("publicationDate", ""))
    out = Path(arguments.out)
    if arguments.check:
        same = out.exists() and out.read_text(encoding="utf-8") == text
        print("refresh_prices: the committed table " + ("matches" if same else f"differs from the offer: {out}"))
        return 0 if same else 1
    out.write_text(text, encoding="utf-8")
    print(f"refresh_prices: {len(table)} regions written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
