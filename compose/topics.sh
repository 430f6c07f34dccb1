#!/usr/bin/env bash
# Creates every topic of the system (the list of Shared/OTContract/Topic.swift, Topic.all) on Apache Kafka.
set -euo pipefail
bootstrap=${KAFKA_BROKERS:-kafka:9092}
partitions=${OT_PARTITIONS:-12}
replication=${OT_REPLICATION:-1}
create() {
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$1" --partitions "$partitions" --replication-factor "$replication" "${@:2}"
}
for topic in vigo.enrollment.v1 ot.registrations.commands.v1 ot.registrations.v1 ot.followup-plans.commands.v1 \
  ot.followup-plans.v1 ot.school-history.requests.v1 ot.school-history.replies.v1 ot.audit.v1 ot.replies.v1 \
  ot-statistics.repartition.v1; do
  create "$topic"
done
create ot.statistics.v1 --config cleanup.policy=compact
for service in ot-registrations ot-followup-plans ot-school-history ot-statistics; do
  create "$service.dlq.v1"
  create "$service.changelog.v1" --config cleanup.policy=compact
done
