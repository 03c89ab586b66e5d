"""The model check: is this request one that real AWS would accept? (test code only)

moto accepts much that AWS refuses. Each request passing through the proxy is checked
against botocore's service model of its operation (required members, types, enums,
lengths, values, patterns, unknown parameters, the protocol's content type and API
version), against the documented limits the model lacks (tags per stream, tag character
sets per service), and its SigV4 signature is recomputed with botocore's signer from the
known test key, its credential scope checked against the service and the ARNs it names.

A violation names the operation, the parameter and the rule; the proxy answers it as an
AWS validation error and logs it with ``"rule": "model_check"``.
"""

from __future__ import annotations

import base64
import hmac
import json
import re
import urllib.parse

import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

SERVICES = ("kinesis", "cloudformation", "sts", "tagging")
# botocore's name of a service where it differs from the proxy's (the signing name).
MODEL_NAMES = {"tagging": "resourcegroupstaggingapi"}
KINESIS_CONTENT_TYPE = "application/x-amz-json-1.1"
QUERY_CONTENT_TYPE = "application/x-www-form-urlencoded"
# Secret keys of the access keys tests use; keys handed out by STS are learned as they pass.
KNOWN_SECRETS = {"testing": "testing"}
REGION_PATTERN = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
ARN_REGION = re.compile(r"^arn:aws[a-z-]*:(kinesis|cloudformation):([^:]*):")
MAX_TAGS_PER_STREAM = 50
# Documented tag characters: Kinesis (Tag type: letters, digits, white space, _ . / = + - % @; the colon of
# the reserved aws: prefix is accepted as well) and AWS resource tags in general, which stacks propagate.
TAG_SYMBOLS = {"kinesis": set("_./=+-%@:"), "cloudformation": set("_./=+-@:")}


class Violation(Exception):
    """A request AWS would refuse: which operation, which parameter, which rule."""

    def __init__(self, operation: str, parameter: str, rule: str):
        super().__init__(f"model check: {operation}: {parameter}: {rule}")
        self.operation, self.parameter, self.rule = operation, parameter, rule


class ModelChecker:
    """Validates requests of the services the proxy knows against the installed botocore."""

    def __init__(self):
        session = botocore.session.get_session()
        self.models = {name: session.get_service_model(MODEL_NAMES.get(name, name)) for name in SERVICES}
        self.secrets = dict(KNOWN_SECRETS)

    def learn_credentials(self, access_key: str, secret_key: str):
        """Keys STS hands out (AssumeRole, GetSessionToken) sign later requests."""
        self.secrets[access_key] = secret_key

    # entry point ----------------------------------------------------------------
    def check(self, service: str, operation: str | None, method: str, path: str, headers, body: bytes,
              stream_tags=None) -> None:
        """Raises Violation for the first rule the request breaks.
        `stream_tags(name)` gives the tag keys a stream has (None: unknown)."""
        model = self.models.get(service)
        if model is None or operation is None:
            return
        if operation not in model.operation_names:
            raise Violation(operation, "operation", f"{service} has no operation {operation}")
        shape = model.operation_model(operation).input_shape
        if model.protocol == "json":
            params = self.json_params(operation, headers, body)
        else:
            params = self.query_params(model, operation, path, headers, body)
        if shape is not None:
            validate(operation, shape, params, "")
        elif params:
            raise Violation(operation, next(iter(params)), "unknown parameter (the operation takes none)")
        self.check_documented_limits(service, operation, params, stream_tags)
        self.check_signature(service, operation, method, path, headers, body, params)

    # protocols ------------------------------------------------------------------
    @staticmethod
    def json_params(operation: str, headers, body: bytes) -> dict:
        content_type = headers.get("Content-Type", "")
        if content_type.split(";")[0].strip() != KINESIS_CONTENT_TYPE:
            raise Violation(operation, "Content-Type", f"must be {KINESIS_CONTENT_TYPE}, found '{content_type}'")
        try:
            params = json.loads(body or b"{}")
        except ValueError as error:
            raise Violation(operation, "body", f"not JSON: {error}") from None
        if not isinstance(params, dict):
            raise Violation(operation, "body", "must be a JSON object")
        return params

    def query_params(self, model, operation: str, path: str, headers, body: bytes) -> dict:
        content_type = headers.get("Content-Type", "")
        if body and not content_type.startswith(QUERY_CONTENT_TYPE):
            raise Violation(operation, "Content-Type", f"must be {QUERY_CONTENT_TYPE}, found '{content_type}'")
        query = body.decode("utf-8") if body else urllib.parse.urlsplit(path).query
        form = urllib.parse.parse_qs(query, keep_blank_values=True)
        repeated = [key for key, values in form.items() if len(values) > 1]
        if repeated:
            raise Violation(operation, repeated[0], "given more than once")
        flat = {key: values[0] for key, values in form.items()}
        version = flat.pop("Version", None)
        flat.pop("Action", None)
        if version != model.api_version:
            raise Violation(operation, "Version", f"must be {model.api_version}, found {version!r}")
        shape = model.operation_model(operation).input_shape
        params = from_query(operation, shape, "", flat) if shape is not None else {}
        if flat:
            raise Violation(operation, sorted(flat)[0], "unknown parameter")
        return params

    # limits botocore's model does not carry ----------------------------------------
    def check_documented_limits(self, service: str, operation: str, params: dict, stream_tags) -> None:
        if service == "kinesis" and operation in ("CreateStream", "AddTagsToStream"):
            tags = params.get("Tags") or {}
            for key, value in tags.items():
                check_tag_text(operation, service, f"Tags.{key}", key)
                check_tag_text(operation, service, f"Tags.{key} (value)", value)
            existing = set()
            if operation == "AddTagsToStream" and stream_tags is not None:
                existing = stream_tags(params.get("StreamName") or arn_stream(params.get("StreamARN"))) or set()
            total = len(existing | set(tags))
            if total > MAX_TAGS_PER_STREAM:
                raise Violation(operation, "Tags", f"a stream can have at most {MAX_TAGS_PER_STREAM} tags; "
                                                   f"this request would leave it with {total}")
        if service == "cloudformation" and operation in ("CreateStack", "UpdateStack"):
            for position, tag in enumerate(params.get("Tags") or [], start=1):
                check_tag_text(operation, service, f"Tags.member.{position}.Key", tag.get("Key", ""))
                check_tag_text(operation, service, f"Tags.member.{position}.Value", tag.get("Value", ""))

    # signature ----------------------------------------------------------------------
    def check_signature(self, service: str, operation: str, method: str, path: str, headers, body: bytes,
                        params: dict) -> None:
        authorization = headers.get("Authorization", "")
        match = re.match(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]*)/([^/]*)/aws4_request, *"
                         r"SignedHeaders=([^,]+), *Signature=([0-9a-f]{64})$", authorization)
        if not match:
            raise Violation(operation, "Authorization", "not a SigV4 (AWS4-HMAC-SHA256) authorization header")
        access_key, day, region, scope_service, signed, signature = match.groups()
        signing_name = self.models[service].signing_name
        if scope_service != signing_name:
            raise Violation(operation, "Authorization", f"credential scope names service '{scope_service}', "
                                                        f"the request is for '{signing_name}'")
        if not REGION_PATTERN.match(region):
            raise Violation(operation, "Authorization", f"credential scope names region '{region}', not a region")
        amz_date = headers.get("X-Amz-Date", "")
        if not amz_date.startswith(day):
            raise Violation(operation, "X-Amz-Date", f"'{amz_date}' is not the credential scope's day {day}")
        for name, value in arn_values(params):
            found = ARN_REGION.match(value)
            if found and found.group(2) != region:
                raise Violation(operation, name, f"names region '{found.group(2)}' but the request is signed "
                                                 f"for '{region}'")
        secret = self.secrets.get(access_key)
        if secret is None:
            return  # a key from a fake credential source: scope checked, signature not verifiable
        expected = recompute_signature(method, path, headers, body, signed.split(";"), access_key, secret,
                                       region, signing_name, amz_date)
        if not hmac.compare_digest(expected, signature):
            raise Violation(operation, "Authorization", "SigV4 signature does not match the request "
                                                        "(recomputed with botocore's SigV4Auth)")


class ReplaySigner(SigV4Auth):
    """botocore's SigV4 signer over exactly the headers the client signed, at the client's time."""

    def __init__(self, credentials, service, region, signed_headers: list[str]):
        super().__init__(credentials, service, region)
        self.signed_names = signed_headers

    def headers_to_sign(self, request):
        chosen = super().headers_to_sign(request)
        for name in list(chosen.keys()):
            if name not in self.signed_names:
                del chosen[name]
        return chosen


def recompute_signature(method, path, headers, body, signed_headers, access_key, secret, region, service,
                        amz_date) -> str:
    request = AWSRequest(method=method, url=f"http://{headers.get('Host', 'localhost')}{path}", data=body)
    for name in signed_headers:
        values = headers.get_all(name) if hasattr(headers, "get_all") else [headers.get(name)]
        if values and values[0] is not None:
            request.headers[name] = ",".join(values)
    request.context["timestamp"] = amz_date
    signer = ReplaySigner(Credentials(access_key, secret), service, region, signed_headers)
    canonical = signer.canonical_request(request)
    return signer.signature(signer.string_to_sign(request, canonical), request)


# --------------------------------------------------------------------------- shapes

def from_query(operation: str, shape, prefix: str, flat: dict):
    """Rebuilds the parameters a query-protocol request carries, consuming `flat`'s keys."""
    if shape.type_name == "structure":
        result = {}
        for name, member in shape.members.items():
            key = join(prefix, member.serialization.get("name", name))
            if key in flat or any(k.startswith(key + ".") for k in flat):
                result[name] = from_query(operation, member, key, flat)
        return result
    if shape.type_name == "list":
        if flat.get(prefix) == "":
            flat.pop(prefix)
            return []
        items, index = [], 1
        name = shape.member.serialization.get("name", "member")
        while f"{prefix}.{name}.{index}" in flat or any(k.startswith(f"{prefix}.{name}.{index}.") for k in flat):
            items.append(from_query(operation, shape.member, f"{prefix}.{name}.{index}", flat))
            index += 1
        return items
    if shape.type_name == "map":
        entries, index = {}, 1
        while f"{prefix}.entry.{index}.key" in flat:
            key = flat.pop(f"{prefix}.entry.{index}.key")
            entries[key] = from_query(operation, shape.value, f"{prefix}.entry.{index}.value", flat)
            index += 1
        return entries
    raw = flat.pop(prefix, None)
    if shape.type_name in ("integer", "long"):
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise Violation(operation, prefix, f"must be an integer, found {raw!r}") from None
    if shape.type_name == "boolean":
        if raw not in ("true", "false"):
            raise Violation(operation, prefix, f"must be true or false, found {raw!r}")
        return raw == "true"
    return raw


def validate(operation: str, shape, value, path: str) -> None:
    """Raises Violation where `value` does not satisfy `shape` (botocore's model) at `path`."""
    kind, limits = shape.type_name, shape.metadata
    here = path or "(request)"
    if kind == "structure":
        if not isinstance(value, dict):
            raise Violation(operation, here, f"must be a structure, found {type(value).__name__}")
        for name in value:
            if name not in shape.members:
                raise Violation(operation, join(path, name), "unknown parameter")
        for name in shape.required_members:
            if value.get(name) is None:
                raise Violation(operation, join(path, name), "required parameter is missing")
        for name, member in value.items():
            if member is not None:
                validate(operation, shape.members[name], member, join(path, name))
        return
    if kind == "list":
        if not isinstance(value, list):
            raise Violation(operation, here, f"must be a list, found {type(value).__name__}")
        check_count(operation, here, len(value), limits, "items")
        for index, item in enumerate(value):
            validate(operation, shape.member, item, f"{here}[{index}]")
        return
    if kind == "map":
        if not isinstance(value, dict):
            raise Violation(operation, here, f"must be a map, found {type(value).__name__}")
        check_count(operation, here, len(value), limits, "entries")
        for key, item in value.items():
            validate(operation, shape.key, key, f"{here} key '{key}'")
            validate(operation, shape.value, item, f"{here}.{key}")
        return
    validate_scalar(operation, shape, value, here)


def validate_scalar(operation: str, shape, value, here: str) -> None:
    kind, limits = shape.type_name, shape.metadata
    if kind == "string":
        if not isinstance(value, str):
            raise Violation(operation, here, f"must be a string, found {type(value).__name__}")
        check_count(operation, here, len(value), limits, "characters")
        if shape.enum and value not in shape.enum:
            raise Violation(operation, here, f"'{value}' is not one of {shape.enum}")
        pattern = limits.get("pattern")
        if pattern and not matches(pattern, value):
            raise Violation(operation, here, f"'{value}' does not match the pattern {pattern}")
    elif kind in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            raise Violation(operation, here, f"must be an integer, found {value!r}")
        check_range(operation, here, value, limits)
    elif kind in ("double", "float"):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise Violation(operation, here, f"must be a number, found {value!r}")
        check_range(operation, here, value, limits)
    elif kind == "boolean":
        if not isinstance(value, bool):
            raise Violation(operation, here, f"must be a boolean, found {value!r}")
    elif kind == "blob":
        try:
            data = base64.b64decode(value, validate=True) if isinstance(value, str) else None
        except ValueError:
            data = None
        if data is None:
            raise Violation(operation, here, "must be base64 text")
        check_count(operation, here, len(data), limits, "bytes")
    elif kind == "timestamp":
        if not isinstance(value, (int, float, str)) or isinstance(value, bool):
            raise Violation(operation, here, f"must be a timestamp, found {value!r}")


def check_count(operation: str, here: str, count: int, limits: dict, unit: str) -> None:
    if "min" in limits and count < limits["min"]:
        raise Violation(operation, here, f"at least {limits['min']} {unit} required, found {count}")
    if "max" in limits and count > limits["max"]:
        raise Violation(operation, here, f"at most {limits['max']} {unit} allowed, found {count}")


def check_range(operation: str, here: str, value, limits: dict) -> None:
    if "min" in limits and value < limits["min"]:
        raise Violation(operation, here, f"must be at least {limits['min']}, found {value}")
    if "max" in limits and value > limits["max"]:
        raise Violation(operation, here, f"must be at most {limits['max']}, found {value}")


_PATTERNS: dict[str, re.Pattern | None] = {}


def matches(pattern: str, value: str) -> bool:
    """The whole value must match, as AWS's validation does ("bad name!" fails [a-zA-Z0-9_.-]+, although
    Smithy documents patterns as unanchored). A pattern Python cannot compile is skipped."""
    if pattern not in _PATTERNS:
        try:
            _PATTERNS[pattern] = re.compile(pattern)
        except re.error:
            _PATTERNS[pattern] = None
    compiled = _PATTERNS[pattern]
    return compiled is None or compiled.fullmatch(value) is not None


def check_tag_text(operation: str, service: str, parameter: str, text: str) -> None:
    symbols = TAG_SYMBOLS[service]
    for character in text:
        if not (character.isalpha() or character.isnumeric() or character.isspace() or character in symbols):
            raise Violation(operation, parameter, f"'{character}' is not allowed in {service} tags (letters, "
                                                  f"digits, white space and {' '.join(sorted(symbols))})")


def join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def arn_values(value, path: str = ""):
    """(parameter, ARN) pairs anywhere in the parameters."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from arn_values(item, join(path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from arn_values(item, f"{path}[{index}]")
    elif isinstance(value, str) and value.startswith("arn:"):
        yield path, value


def arn_stream(arn) -> str | None:
    if isinstance(arn, str) and ":stream/" in arn:
        return arn.split(":stream/", 1)[1].split("/", 1)[0]
    return None


def resign(checker: ModelChecker, method: str, path: str, headers: dict, body: bytes, service: str) -> str | None:
    """A fresh SigV4 Authorization for a request the proxy changed or made itself (moto with IAM
    authentication on checks signatures), with the client's key when its secret is known; else None.
    `headers` holds the headers to send (Host, X-Amz-Date, ...); the scope's date and region are kept."""
    match = re.match(r"AWS4-HMAC-SHA256 Credential=([^/]+)/\d{8}/([^/]*)/[^/]*/aws4_request, *SignedHeaders=([^,]+)",
                     headers.get("Authorization", ""))
    secret = checker.secrets.get(match.group(1)) if match else None
    if match is None or secret is None:
        return None
    access_key, region, signed = match.groups()
    names = [name for name in signed.split(";") if any(key.lower() == name for key in headers)]
    lowered = {key.lower(): value for key, value in headers.items()}
    request = AWSRequest(method=method, url=f"http://{lowered.get('host', 'localhost')}{path}", data=body)
    for name in names:
        request.headers[name] = lowered[name]
    request.context["timestamp"] = lowered.get("x-amz-date", "")
    signer = ReplaySigner(Credentials(access_key, secret), service, region, names)
    signature = signer.signature(signer.string_to_sign(request, signer.canonical_request(request)), request)
    scope = signer.credential_scope(request)
    return (f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, SignedHeaders={';'.join(names)}, "
            f"Signature={signature}")
