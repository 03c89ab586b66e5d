# reconcile: build, test and demo. Every target installs what it needs when missing.
SHELL := /bin/bash
PREFIX ?= /usr/local
SWIFT_BUILD_FLAGS ?=
MOTO_VERSION := 5.2.1
PYTHON ?= python3

.PHONY: prices check-reports lint fuzz-corpus build release dist test-gitops test test-policy-full test-proxy bench bench-peers demo install tools clean reliability fuzz fuzz-build

tools: ## Python tools the tests and the demo use (moto server, cfn-lint, boto3)
	@command -v moto_server >/dev/null 2>&1 && $(PYTHON) -c 'import moto, boto3' 2>/dev/null \
	  || $(PYTHON) -m pip install --quiet 'moto[server]==$(MOTO_VERSION)' boto3
	@command -v cfn-lint >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet cfn-lint
	@command -v aws >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet awscli

build:
	swift build $(SWIFT_BUILD_FLAGS)

# The release build links the Swift runtime and Foundation statically, as `make dist` ships it: what
# `make install` puts in place and `make bench` measures is the binary users run (it starts with about
# 6 MiB less resident memory than one loading a dozen shared Swift libraries).
RELEASE_FLAGS := -c release --static-swift-stdlib

release:
	swift build $(RELEASE_FLAGS) $(SWIFT_BUILD_FLAGS)

# CI fuzzes briefly; `make fuzz` / `make reliability` run longer.
CI_FUZZ_SECONDS ?= 30

test: tools check-reports lint build test-proxy test-gitops
	swift build --build-tests $(SWIFT_BUILD_FLAGS)
	swift test --skip-build
	$(MAKE) fuzz FUZZ_SECONDS=$(CI_FUZZ_SECONDS)

lint: ## swift-format in strict mode (the toolchain's; settings in .swift-format)
	swift format lint --strict -r Sources Tests Fuzz

check-reports: ## the generated reports (and the README's figures) still match their recorded runs
	$(PYTHON) bench/bench_report.py --check
	$(PYTHON) scripts/reliability_report.py --check

test-policy-full: tools build ## the IAM minimality loop over every example too (slow)
	swift build --build-tests $(SWIFT_BUILD_FLAGS)
	RECONCILE_FULL_POLICY=1 swift test --skip-build --filter PolicyIAMTests

test-proxy: tools ## the fault proxy's own tests (pytest, boto3, moto)
	@$(PYTHON) -c 'import pytest' 2>/dev/null || $(PYTHON) -m pip install --quiet pytest
	$(PYTHON) -m pytest -q Tests/Proxy scripts/tests

prices: ## rebuild the Kinesis price table from AWS's price list (network; OFFER=saved offer files to use them instead)
	$(PYTHON) scripts/refresh_prices.py $(if $(OFFER),$(OFFER),--download)

test-gitops: tools build ## the pipeline scripts against moto and a fake GitHub/GitLab API; schemas; zizmor
	@$(PYTHON) -c 'import pytest' 2>/dev/null || $(PYTHON) -m pip install --quiet pytest
	@command -v zizmor >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet zizmor
	@command -v check-jsonschema >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet check-jsonschema
	check-jsonschema --builtin-schema vendor.github-workflows examples/gitops/reconcile.yml .github/workflows/release.yml
	check-jsonschema --builtin-schema vendor.github-actions action.yml
	check-jsonschema --builtin-schema vendor.gitlab-ci examples/gitops/gitlab-ci.yml
	zizmor --offline --min-severity medium examples/gitops/reconcile.yml .github/workflows/release.yml action.yml
	RECONCILE_BIN="$$(swift build $(SWIFT_BUILD_FLAGS) --show-bin-path)/reconcile" $(PYTHON) -m pytest -q examples/gitops/tests

FUZZ_SECONDS ?= 60
FUZZ_FLAGS := -c release --scratch-path .build/fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library

reliability: tools build ## full reliability matrix (+ fuzzing); records docs/results/reliability.json, renders docs/reliability.md
	swift build --build-tests $(SWIFT_BUILD_FLAGS)
	$(PYTHON) scripts/reliability.py --fuzz-seconds $(FUZZ_SECONDS) $(RELIABILITY_FLAGS)

fuzz-build: ## the libFuzzer+ASan manifest fuzzer (own scratch path, so normal builds are untouched)
	@start=$$(date +%s); RECONCILE_FUZZ=1 swift build $(FUZZ_FLAGS) --product ManifestFuzzer \
	  && echo "fuzz build took $$(( $$(date +%s) - start )) s"

# The seed corpus is every manifest the repository already has (bad-manifest fixtures, examples,
# the seed), copied fresh each run, so it never drifts from them.
FUZZ_CORPUS := .build/fuzz/corpus

fuzz-corpus:
	@rm -rf $(FUZZ_CORPUS) && mkdir -p $(FUZZ_CORPUS) Fuzz/crashes
	@find Tests/Fixtures examples manifests -type f \( -name '*.yaml' -o -name '*.yml' \) | sort | while read -r f; do \
	  cp "$$f" "$(FUZZ_CORPUS)/$$(echo "$$f" | tr '/' '-')"; done
	@echo "fuzz corpus: $$(ls $(FUZZ_CORPUS) | wc -l) manifests from Tests/Fixtures, examples and manifests"

fuzz: fuzz-build fuzz-corpus ## run the manifest fuzzer for FUZZ_SECONDS on the generated corpus; crashes land in Fuzz/crashes/
	"$$(RECONCILE_FUZZ=1 swift build $(FUZZ_FLAGS) --show-bin-path)/ManifestFuzzer" $(FUZZ_CORPUS) \
	  -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=4096 -artifact_prefix=Fuzz/crashes/ -print_final_stats=1

# The report counts the whole target, tools check and release build included.
bench: ## plan/apply against moto at 1, 100, 200, 1000 streams, quota mode at 100 and 1000; records docs/results/benchmarks.json, renders docs/benchmarks.md
	@started=$$(date +%s); $(MAKE) --no-print-directory tools release \
	  && $(PYTHON) bench/run_bench.py --binary "$$(swift build $(RELEASE_FLAGS) --show-bin-path)/reconcile" \
	       --started-at $$started $(BENCH_FLAGS)

bench-peers: tools ## the boto3 / aws CLI peers only (no reconcile binary needed)
	$(PYTHON) bench/run_bench.py --peers-only $(BENCH_FLAGS)

# The static link needs zlib as an archive (Debian's -dev package).
DIST_PACKAGES := zlib1g-dev

dist: ## the release archive: dist/reconcile-<version>-linux-<arch>.tar.gz + .sha256 (static Swift runtime, stripped)
	@missing=$$(for p in $(DIST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	  [ -z "$$missing" ] || { apt-get update -qq && apt-get install -y -qq $$missing; }
	scripts/dist.sh

install: release
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 "$$(swift build $(RELEASE_FLAGS) --show-bin-path)/reconcile" $(DESTDIR)$(PREFIX)/bin/reconcile

demo: tools build ## the seed's loop against a local moto server it starts and stops
	scripts/demo.sh .build/debug/reconcile

clean:
	rm -rf .build
