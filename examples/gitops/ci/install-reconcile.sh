#!/usr/bin/env bash
# The composite action's install step: download the release archive, check its sha256, unpack it
# into the tool cache and put it on PATH. Inputs come as environment variables (never interpolated
# into the script): NAME, VERSION, EXPECTED_SHA256 (optional), REPOSITORY, SERVER, TOOL_CACHE, CACHED.
set -euo pipefail
target="$TOOL_CACHE/reconcile/$NAME"
if [[ "${CACHED:-}" != "true" || ! -x "$target/$NAME/reconcile" ]]; then
    base="$SERVER/$REPOSITORY/releases/download/v$VERSION"
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    curl --fail --silent --show-error --location --retry 3 -o "$work/$NAME.tar.gz" "$base/$NAME.tar.gz"
    expected="${EXPECTED_SHA256:-}"
    if [[ -z "$expected" ]]; then
        curl --fail --silent --show-error --location --retry 3 -o "$work/$NAME.tar.gz.sha256" "$base/$NAME.tar.gz.sha256"
        expected="$(cut -d ' ' -f 1 < "$work/$NAME.tar.gz.sha256")"
    fi
    actual="$(sha256sum "$work/$NAME.tar.gz" | cut -d ' ' -f 1)"
    if [[ "$actual" != "$expected" ]]; then
        echo "reconcile: $NAME.tar.gz has sha256 $actual, expected $expected; not installed." >&2
        exit 1
    fi
    mkdir -p "$target"
    tar -xzf "$work/$NAME.tar.gz" -C "$target"
fi
"$target/$NAME/reconcile" --version
echo "$target/$NAME" >> "$GITHUB_PATH"
echo "path=$target/$NAME" >> "$GITHUB_OUTPUT"
