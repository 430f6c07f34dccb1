# The two commands of the README:
#   make run    the system: embedded broker, services, sample events, statistics
#   make test   the whole test suite
# Both install what is missing (Debian packages) first.

SWIFT ?= swift
APT_PACKAGES := librdkafka-dev libsqlite3-dev kcat

.PHONY: deps build test run bench clean

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build --build-tests

test: build
	$(SWIFT) test --skip-build

# Until the services exist: start the embedded broker, prove a round trip through it with kcat, stop it.
run: deps
	$(SWIFT) build --product ot-dev-broker
	@set -e; data=$$(mktemp -d); \
	./.build/debug/ot-dev-broker --data-dir $$data > $$data/broker.out & pid=$$!; \
	trap 'kill -TERM $$pid 2>/dev/null; wait $$pid; rm -rf $$data' EXIT; \
	while [ ! -s $$data/bootstrap.servers ]; do kill -0 $$pid; sleep 0.1; done; \
	brokers=$$(cat $$data/bootstrap.servers); echo "broker up: $$brokers"; \
	kcat -L -b $$brokers | grep -E 'brokers:|topics:|topic "' ; \
	event='{"specversion":"1.0","id":"run-1","source":"urn:ot:make-run","type":"no.vigo.person.updated","time":"2026-11-29T10:00:00Z","datacontenttype":"application/json","data":{"personId":"01010112345"}}'; \
	echo "01010112345|$$event" | kcat -P -b $$brokers -t vigo.enrollment.v1 -K'|' -H content-type=application/cloudevents+json; \
	echo "round trip:"; kcat -C -b $$brokers -t vigo.enrollment.v1 -e -q -f '  partition %p offset %o: %s\n'

bench: deps
	$(SWIFT) build -c release --product ot-kafka-benchmark
	./.build/release/ot-kafka-benchmark

clean:
	rm -rf .build .ot-data
