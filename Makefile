# The two commands of the README:
#   make run    the system: embedded broker, services, sample events, statistics
#   make test   the whole test suite
# Both install what is missing (Debian packages) first.

SWIFT ?= swift
APT_PACKAGES := librdkafka-dev libsqlite3-dev kcat

.PHONY: deps build test run bench bench-statistics clean

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	for c in curl python3; do command -v $$c >/dev/null 2>&1 || missing="$$missing $$c"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build --build-tests

test: build
	$(SWIFT) test --skip-build

# The embedded broker, the services built so far, sample upstream events, and what the services made of them.
run: deps
	$(SWIFT) build --product ot-dev-broker
	$(SWIFT) build --product ot-registrations
	./compose/dev/run.sh

bench: deps
	$(SWIFT) build -c release --product ot-kafka-benchmark
	./.build/release/ot-kafka-benchmark

# Registration events/s through ot-statistics, and end-to-end latency at a steady 1,000 upstream events/s.
bench-statistics: deps
	$(SWIFT) build -c release --product ot-registrations
	$(SWIFT) build -c release --product ot-statistics
	$(SWIFT) build -c release --product ot-statistics-benchmark
	./.build/release/ot-statistics-benchmark

clean:
	rm -rf .build .ot-data
