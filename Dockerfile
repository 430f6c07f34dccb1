# The VIGO OT image: every executable of the system in one image, run as a non-root user.
#
#   docker build -t vigo-ot:latest .
#   docker build --build-arg OT_VERSION=1.4.0 -t vigo-ot:1.4.0 .    # a release: ot_build_info{version="1.4.0"}
#   docker run --rm vigo-ot:latest otctl --help
#
# A container runs one program, named by its command: ot-registrations, ot-followup-plans, ot-school-history,
# ot-statistics, ot-dashboard, otctl (the topics step and operator tasks) or ot-dev-broker (development only).
# compose/docker-compose.yml runs the system with it; docs/operations.md describes deploying, scaling and upgrading.

# ---- build: Swift 6.3 on Debian 12, the release the services are developed and tested with -------------------------
FROM swift:6.3-bookworm AS build

RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libjemalloc-dev librdkafka-dev libsqlite3-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /src

# The dependencies first, in a layer of their own that changes only with the manifest. The versions are those of
# Package.resolved when the checkout has one (it is not committed: a clean clone resolves the newest versions the
# manifest allows).
COPY Package.* ./
RUN swift package resolve

COPY . .

# Every program of the image. The Swift runtime and Foundation are linked statically (--static-swift-stdlib); the
# image needs only librdkafka, SQLite, jemalloc and the C/C++ runtime at run time. Debug information is stripped,
# the symbols kept (for the Swift runtime's crash backtraces, with swift-backtrace-static beside the programs).
# Resource bundles (<package>_<target>.resources, e.g. ot-registrations' list of units) must sit beside the
# executables, where Bundle.module looks for them.
ARG PRODUCTS="ot-registrations ot-followup-plans ot-school-history ot-statistics ot-dashboard otctl ot-dev-broker"
RUN set -eu; \
    for product in $PRODUCTS; do \
        swift build -c release --static-swift-stdlib --product "$product"; \
    done; \
    bin="$(swift build -c release --static-swift-stdlib --show-bin-path)"; \
    mkdir -p /out/bin; \
    for product in $PRODUCTS; do \
        cp "$bin/$product" /out/bin/; \
        strip --strip-debug "/out/bin/$product"; \
    done; \
    find "$bin" -maxdepth 1 -name '*.resources' -exec cp -R {} /out/bin/ \; ; \
    if [ -x /usr/libexec/swift/linux/swift-backtrace-static ]; then \
        cp /usr/libexec/swift/linux/swift-backtrace-static /out/bin/; \
    fi

# ---- runtime: Debian 12 slim with the shared libraries the programs link --------------------------------------------
FROM debian:bookworm-slim

# The release the image is built as; the programs show it as ot_build_info{version} in /metrics.
ARG OT_VERSION=dev

LABEL org.opencontainers.image.title="vigo-ot" \
      org.opencontainers.image.description="VIGO OT: the county follow-up service's workers, dashboard and otctl" \
      org.opencontainers.image.version="${OT_VERSION}"

SHELL ["/bin/bash", "-o", "pipefail", "-c"]

# librdkafka1 (Kafka client), libsqlite3-0 (the stores), libjemalloc2 (the allocator), tzdata (school years and
# reporting dates are Europe/Oslo dates), ca-certificates (TLS to the brokers: KAFKA_SECURITY_PROTOCOL=SSL or
# SASL_SSL), sqlite3 (an operator's `VACUUM INTO` copy of a store, docs/operations.md).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        ca-certificates libjemalloc2 librdkafka1 libsqlite3-0 sqlite3 tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 ot \
    && useradd --system --uid 10001 --gid ot --home-dir /var/lib/ot --no-create-home --shell /usr/sbin/nologin ot \
    && install -d -o ot -g ot -m 0700 /var/lib/ot

COPY --from=build /out/bin/ /opt/vigo-ot/bin/
COPY docker/ot-healthcheck /opt/vigo-ot/bin/ot-healthcheck

# Fail the build, not the first start, when a program links a library the image lacks.
RUN set -eu; \
    chmod 0755 /opt/vigo-ot/bin/ot-healthcheck; \
    for program in /opt/vigo-ot/bin/*; do \
        if [ -f "$program" ] && ldd "$program" 2>/dev/null | grep 'not found'; then \
            echo "$program needs a shared library the image lacks" >&2; exit 1; \
        fi; \
    done; \
    /opt/vigo-ot/bin/otctl --help > /dev/null

ENV PATH="/opt/vigo-ot/bin:${PATH}" \
    OT_DATA_DIR=/var/lib/ot \
    OT_HTTP_HOST=0.0.0.0 \
    OT_LOG_LEVEL=info \
    OT_VERSION="${OT_VERSION}" \
    SWIFT_BACKTRACE="enable=yes,sanitize=yes,threads=all,images=all,interactive=no,swift-backtrace=/opt/vigo-ot/bin/swift-backtrace-static"

# The services' HTTP ports (health and metrics; the dashboard's pages on 8085).
EXPOSE 8081 8082 8083 8084 8085

USER 10001:10001
WORKDIR /var/lib/ot

# /health/ready of the service in the container (OT_HTTP_PORT). The start period covers the group join and the
# restore of the partitions' stores from the changelog, during which /health/ready answers 503.
HEALTHCHECK --interval=15s --timeout=10s --start-period=120s --retries=3 CMD ["/opt/vigo-ot/bin/ot-healthcheck", "/health/ready"]

# The command names the program: `docker run vigo-ot:latest ot-registrations`. Without one, otctl's help.
CMD ["otctl", "--help"]
