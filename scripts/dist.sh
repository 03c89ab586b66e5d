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
touch Sources/BuildInfo/build_info.c  # a header that appears is not a dependency yet: recompile explicitly
# --static-swift-stdlib leaves zlib dynamic. A linker script named like the shared library makes -lz pick the
# static archive instead, so only libc, libm, libstdc++ and libgcc_s remain.
system_libs="/usr/lib/$(uname -m)-linux-gnu"
static_libs="$scratch/static-libs"
mkdir -p "$static_libs"
[[ -f "$system_libs/libz.a" ]] || { echo "dist: $system_libs/libz.a is missing: install zlib1g-dev" >&2; exit 1; }
echo "GROUP ( $system_libs/libz.a )" > "$static_libs/libz.so"
flags=(-c release --static-swift-stdlib --scratch-path "$scratch")
rm -f "$(swift build "${flags[@]}" --show-bin-path)/reconcile"  # relink even when no source changed
swift build "${flags[@]}" --product reconcile -Xlinker -L -Xlinker "$PWD/$static_libs"
rm -f "$stamp"
binary="$(swift build "${flags[@]}" --show-bin-path)/reconcile"

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
