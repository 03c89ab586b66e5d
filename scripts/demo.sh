#!/usr/bin/env bash
# The article's loop (cdk diff / deploy / destroy) with reconcile, against a local moto
# server that this script starts and always stops. Usage: scripts/demo.sh [reconcile-binary]
set -euo pipefail
cd "$(dirname "$0")/.."
RECONCILE=${1:-.build/debug/reconcile}

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
workdir=$(mktemp -d)
moto_server -H 127.0.0.1 -p "$port" >"$workdir/moto.log" 2>&1 &
moto_pid=$!
cleanup() { kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true; rm -rf "$workdir"; }
trap cleanup EXIT
for _ in $(seq 1 100); do
  curl -fs -o /dev/null "http://127.0.0.1:$port/moto-api/" 2>/dev/null && break
  sleep 0.1
done

# A local endpoint needs no real credentials; never point these at AWS.
export AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo AWS_REGION=eu-central-1
export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
unset AWS_PROFILE AWS_SESSION_TOKEN

step() { printf '\n\033[1m==> %s\033[0m\n$ %s\n' "$1" "${*:2}"; "${@:2}"; }

step "Check the manifests (no AWS call)" "$RECONCILE" validate manifests/
step "What will be created? (like 'cdk diff')" "$RECONCILE" plan manifests/
step "Create it (like 'cdk deploy'; --auto-approve because a script has no terminal)" "$RECONCILE" apply --auto-approve manifests/
step "Plan again: nothing left to do" "$RECONCILE" plan --detailed-exitcode manifests/
step "What exists now (like 'aws cloudformation list-stack-resources')" "$RECONCILE" ls manifests/
step "Prove the stream accepts and returns a record (the article's boto3 put_record)" "$RECONCILE" verify manifests/

cp -r manifests "$workdir/changed"
sed -i 's/shardCount: 1$/shardCount: 2/' "$workdir/changed/"*.yaml
step "Change the shard count 1 → 2 in a copy of the manifests and review the plan" "$RECONCILE" plan "$workdir/changed"
step "Apply the change" "$RECONCILE" apply --auto-approve "$workdir/changed"
step "Tear it all down (like 'cdk destroy')" "$RECONCILE" destroy --auto-approve "$workdir/changed"
printf '\nDemo finished: the local endpoint on port %s is being stopped.\n' "$port"
