#!/usr/bin/env bash
# Builds the release archive: dist/reconcile-<version>-linux-<arch>.tar.gz and its .sha256.
# The binary links the Swift runtime and Foundation statically, so it runs where Swift is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch="${DIST_SCRATCH:-.build/dist}"
version="$(sed -n 's/^ *static let number = "\(.*\)"$/\1/p' Sources/reconcile/ReconcileCommand.swift)"
[[ -n "$version" ]] || { echo "dist: cannot read the version from ReconcileCommand.swift" >&2; exit 1; }
commit="$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
if [[ "$commit" != unknown && -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
    commit="$commit-dirty"
fi
arch="$(uname -m)"
name="reconcile-$version-linux-$arch"

stamp=Sources/BuildInfo/generated_commit.h
printf '#define RECONCILE_COMMIT "%s"\n' "$commit" > "$stamp"
trap 'rm -f "$stamp"' EXIT
swift build -c release --static-swift-stdlib --scratch-path "$scratch" --product reconcile
rm -f "$stamp"
binary="$(swift build -c release --static-swift-stdlib --scratch-path "$scratch" --show-bin-path)/reconcile"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT  # (the stamp is gone by now)
mkdir -p "$stage/$name"
cp "$binary" "$stage/$name/reconcile"
strip "$stage/$name/reconcile"
cp README.md "$stage/$name/"
# The pull-request loop's scripts travel with the binary, so a manifests repository needs no copy.
cp examples/gitops/ci/reconcile-ci examples/gitops/ci/forges.py examples/gitops/ci/install-reconcile.sh "$stage/$name/"

mkdir -p dist
# Reproducible-ish: fixed owner and sorted names, so only the binary decides the digest.
tar --sort=name --owner=0 --group=0 --numeric-owner -C "$stage" -czf "dist/$name.tar.gz" "$name"
(cd dist && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "dist/$name.tar.gz"
cat "dist/$name.tar.gz.sha256"
