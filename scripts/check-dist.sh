#!/usr/bin/env bash
# Checks what `make dist` wrote: the archive matches its .sha256, the binary is stripped, links only
# system libraries (no Swift runtime, no Foundation), and runs with an empty environment. As root it
# also runs the binary in a chroot that holds nothing but the binary, those system libraries and /proc.
set -euo pipefail
cd "$(dirname "$0")/.."
archive="$(ls -t dist/reconcile-*-linux-*.tar.gz 2>/dev/null | head -n 1)"
[[ -n "$archive" ]] || { echo "check-dist: no dist/reconcile-*.tar.gz: run 'make dist' first" >&2; exit 1; }
(cd dist && sha256sum -c "$(basename "$archive").sha256")

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -xzf "$archive" -C "$work"
name="$(basename "$archive" .tar.gz)"
binary="$work/$name/reconcile"
for file in reconcile reconcile-ci forges.py install-reconcile.sh; do
    [[ -e "$work/$name/$file" ]] || { echo "check-dist: $file missing from the archive" >&2; exit 1; }
done

file "$binary" | grep -q "stripped" && ! file "$binary" | grep -q "not stripped" \
    || { echo "check-dist: the binary is not stripped" >&2; exit 1; }
echo "libraries:"; ldd "$binary" | sed 's/^/  /'
system='^(linux-vdso|libc|libm|libdl|libpthread|librt|libutil|libstdc\+\+|libgcc_s|ld-linux[-a-z0-9_]*)\.so'
unexpected="$(ldd "$binary" | awk '{print $1}' | sed 's|.*/||' | grep -Ev "$system" || true)"
[[ -z "$unexpected" ]] || { echo "check-dist: links non-system libraries: $unexpected" >&2; exit 1; }

version="$(env -i "$binary" --version)"
echo "env -i reconcile --version: $version"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+\ \(commit\ [0-9a-f]{7,} ]] \
    || { echo "check-dist: --version does not name a commit: $version" >&2; exit 1; }

if [[ "$(id -u)" == 0 ]] && command -v chroot >/dev/null; then
    jail="$work/jail"
    mkdir -p "$jail/bin" "$jail/tmp" "$jail/proc"
    # /proc is the one thing taken from the host: every Linux system and container has it (the runtime
    # reads it at start; without it the binary traps).
    mount -t proc proc "$jail/proc"
    trap 'umount "$jail/proc" 2>/dev/null; rm -rf "$work"' EXIT
    cp "$binary" "$jail/bin/reconcile"
    for library in $(ldd "$binary" | grep -o '/[^ ]*'); do
        mkdir -p "$jail$(dirname "$library")"
        cp -L "$library" "$jail$library"
    done
    printf 'apiVersion: reconcile/v1\nkind: Stream\nmetadata:\n  name: s\nspec:\n  shardCount: 1\n' > "$jail/tmp/s.yaml"
    chroot="$(command -v chroot)"
    env -i "$chroot" "$jail" /bin/reconcile --version
    env -i "$chroot" "$jail" /bin/reconcile validate /tmp/s.yaml
    files="$(find "$jail" -path "$jail/proc" -prune -o -type f -print | wc -l)"
    echo "check-dist: runs in a chroot with no Swift toolchain ($files files besides /proc)"
fi
echo "check-dist: $archive is fine"
