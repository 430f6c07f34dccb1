#include "CRdKafka.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

// Delivery reports are gathered here during one `rd_kafka_poll` and handed to Swift in chunks.
#define CRDKAFKA_REPORT_CHUNK 1024

/// Per-handle state, owned by the handle (its `opaque`) and freed by `CRdKafka_destroy`.
typedef struct CRdKafka_context {
    CRdKafka_callbacks callbacks;
    void *swift_context;
    /// Counts rebalance callbacks; a consumer batch stops when it changes.
    uint64_t rebalances;
    /// Whether the group's rebalance protocol is COOPERATIVE, as librdkafka last told it (at first, as the configured
    /// assignment strategy says): librdkafka does not tell it while the group is being torn down.
    int cooperative;
    size_t report_count;
    CRdKafka_delivery_report reports[CRDKAFKA_REPORT_CHUNK];
} CRdKafka_context;

static void flush_reports(CRdKafka_context *context) {
    if (context->report_count == 0) return;
    if (context->callbacks.delivery) {
        context->callbacks.delivery(context->swift_context, context->reports, context->report_count);
    }
    context->report_count = 0;
}

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *message, void *opaque) {
    CRdKafka_context *context = opaque;
    if (context->report_count == CRDKAFKA_REPORT_CHUNK) flush_reports(context);
    CRdKafka_delivery_report *report = &context->reports[context->report_count++];
    report->opaque = (uint64_t)(uintptr_t)message->_private;
    report->error = message->err;
    report->partition = message->partition;
    report->offset = message->offset;
}

static void on_log(const rd_kafka_t *rk, int level, const char *facility, const char *message) {
    CRdKafka_context *context = rd_kafka_opaque(rk);
    if (context && context->callbacks.log) context->callbacks.log(context->swift_context, level, facility, message);
}

static void on_error(rd_kafka_t *rk, int error, const char *reason, void *opaque) {
    CRdKafka_context *context = opaque;
    if (context->callbacks.error) context->callbacks.error(context->swift_context, error, reason);
}

static int on_statistics(rd_kafka_t *rk, char *json, size_t length, void *opaque) {
    CRdKafka_context *context = opaque;
    if (context->callbacks.statistics) context->callbacks.statistics(context->swift_context, json, length);
    return 0;  // librdkafka frees the JSON
}

static void report_error(CRdKafka_context *context, rd_kafka_error_t *error) {
    if (!error) return;
    if (context->callbacks.error) {
        context->callbacks.error(context->swift_context, rd_kafka_error_code(error), rd_kafka_error_string(error));
    }
    rd_kafka_error_destroy(error);
}

static void report_code(CRdKafka_context *context, rd_kafka_resp_err_t code) {
    if (code && context->callbacks.error) context->callbacks.error(context->swift_context, code, rd_kafka_err2str(code));
}

static void on_rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t reason, rd_kafka_topic_partition_list_t *partitions,
                         void *opaque) {
    CRdKafka_context *context = opaque;
    context->rebalances++;
    // NULL once the consumer's group is being torn down (its close, under load in a test run on 2026-12-07, where the
    // unchecked strcmp crashed the process): the protocol it had.
    const char *protocol = rd_kafka_rebalance_protocol(rk);
    if (protocol) context->cooperative = strcmp(protocol, "COOPERATIVE") == 0;
    const int cooperative = context->cooperative;
    switch (reason) {
    case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
        if (context->callbacks.rebalance) {
            context->callbacks.rebalance(context->swift_context, CRdKafka_rebalance_assign, partitions);
        }
        if (cooperative) report_error(context, rd_kafka_incremental_assign(rk, partitions));
        else report_code(context, rd_kafka_assign(rk, partitions));
        break;
    case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
        if (context->callbacks.rebalance) {
            CRdKafka_rebalance_kind kind =
                rd_kafka_assignment_lost(rk) ? CRdKafka_rebalance_lost : CRdKafka_rebalance_revoke;
            context->callbacks.rebalance(context->swift_context, kind, partitions);
        }
        if (cooperative) report_error(context, rd_kafka_incremental_unassign(rk, partitions));
        else report_code(context, rd_kafka_assign(rk, NULL));
        break;
    default:
        report_code(context, reason);
        report_code(context, rd_kafka_assign(rk, NULL));
        break;
    }
}

rd_kafka_t *CRdKafka_new(rd_kafka_type_t type, const char *const *keys, const char *const *values, size_t count,
                         const CRdKafka_callbacks *callbacks, void *swift_context, char *errstr, size_t errstr_size) {
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    for (size_t i = 0; i < count; i++) {
        if (rd_kafka_conf_set(conf, keys[i], values[i], errstr, errstr_size) != RD_KAFKA_CONF_OK) {
            rd_kafka_conf_destroy(conf);
            return NULL;
        }
    }
    // Logs are queued and served by the polling thread instead of arriving on librdkafka's threads.
    if (rd_kafka_conf_set(conf, "log.queue", "true", errstr, errstr_size) != RD_KAFKA_CONF_OK) {
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    CRdKafka_context *context = calloc(1, sizeof(CRdKafka_context));
    if (!context) {
        snprintf(errstr, errstr_size, "out of memory");
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    if (callbacks) context->callbacks = *callbacks;
    context->swift_context = swift_context;
    for (size_t i = 0; i < count; i++) {
        if (strcmp(keys[i], "partition.assignment.strategy") == 0) {
            context->cooperative = strstr(values[i], "cooperative") != NULL;
        }
    }
    rd_kafka_conf_set_opaque(conf, context);
    rd_kafka_conf_set_log_cb(conf, on_log);
    rd_kafka_conf_set_error_cb(conf, on_error);
    rd_kafka_conf_set_stats_cb(conf, on_statistics);
    if (type == RD_KAFKA_PRODUCER) rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    if (type == RD_KAFKA_CONSUMER) rd_kafka_conf_set_rebalance_cb(conf, on_rebalance);

    rd_kafka_t *rk = rd_kafka_new(type, conf, errstr, errstr_size);
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        free(context);
        return NULL;
    }
    rd_kafka_set_log_queue(rk, NULL);  // the main queue, which the polling thread serves
    if (type == RD_KAFKA_CONSUMER) rd_kafka_poll_set_consumer(rk);
    return rk;
}

void CRdKafka_destroy(rd_kafka_t *rk) {
    if (!rk) return;
    CRdKafka_context *context = rd_kafka_opaque(rk);
    rd_kafka_destroy(rk);
    free(context);
}

size_t CRdKafka_produce_batch(rd_kafka_t *rk, const CRdKafka_message *messages, size_t count,
                              rd_kafka_resp_err_t *error) {
    *error = RD_KAFKA_RESP_ERR_NO_ERROR;
    for (size_t i = 0; i < count; i++) {
        const CRdKafka_message *m = &messages[i];
        rd_kafka_headers_t *headers = NULL;
        if (m->header_count > 0) {
            headers = rd_kafka_headers_new(m->header_count);
            for (size_t h = 0; h < m->header_count; h++) {
                const CRdKafka_header *header = &m->headers[h];
                rd_kafka_header_add(headers, header->name, -1, header->value,
                                    header->value ? (ssize_t)header->value_length : 0);
            }
        }
        rd_kafka_resp_err_t result = rd_kafka_producev(
            rk, RD_KAFKA_V_RKT(m->topic), RD_KAFKA_V_PARTITION(m->partition),
            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(m->key, m->key_length),
            RD_KAFKA_V_VALUE((void *)m->value, m->value_length), RD_KAFKA_V_HEADERS(headers),
            RD_KAFKA_V_TIMESTAMP(m->timestamp), RD_KAFKA_V_OPAQUE((void *)(uintptr_t)m->opaque), RD_KAFKA_V_END);
        if (result != RD_KAFKA_RESP_ERR_NO_ERROR) {
            if (headers) rd_kafka_headers_destroy(headers);  // ownership passes only on success
            *error = result;
            return i;
        }
    }
    return count;
}

size_t CRdKafka_produce_run(rd_kafka_topic_t *topic, const CRdKafka_message *messages, size_t count,
                            rd_kafka_resp_err_t *errors) {
    if (count == 0) return 0;
    rd_kafka_message_t *batch = calloc(count, sizeof(*batch));
    if (!batch) {
        for (size_t i = 0; i < count; i++) errors[i] = RD_KAFKA_RESP_ERR__QUEUE_FULL;  // nothing enqueued: retry
        return 0;
    }
    for (size_t i = 0; i < count; i++) {
        const CRdKafka_message *m = &messages[i];
        batch[i].partition = m->partition;
        batch[i].key = (void *)m->key;
        batch[i].key_len = m->key ? m->key_length : 0;
        batch[i].payload = (void *)m->value;
        batch[i].len = m->value ? m->value_length : 0;
        batch[i]._private = (void *)(uintptr_t)m->opaque;
    }
    int good = rd_kafka_produce_batch(topic, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY | RD_KAFKA_MSG_F_PARTITION,
                                      batch, (int)count);
    for (size_t i = 0; i < count; i++) errors[i] = batch[i].err;
    free(batch);
    return good < 0 ? 0 : (size_t)good;
}

int CRdKafka_poll(rd_kafka_t *rk, int timeout_ms) {
    int served = rd_kafka_poll(rk, timeout_ms);
    flush_reports(rd_kafka_opaque(rk));
    return served;
}

size_t CRdKafka_consumer_poll_batch(rd_kafka_t *rk, int timeout_ms, rd_kafka_message_t **messages,
                                    size_t capacity) {
    CRdKafka_context *context = rd_kafka_opaque(rk);
    size_t count = 0;
    uint64_t rebalances = context->rebalances;
    rd_kafka_message_t *message = rd_kafka_consumer_poll(rk, timeout_ms);
    while (message) {
        messages[count++] = message;
        if (count == capacity || context->rebalances != rebalances) break;
        message = rd_kafka_consumer_poll(rk, 0);
    }
    return count;
}

int CRdKafka_is_property(const char *name) {
    char errstr[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    // An empty value may be invalid for the property, but only an unknown name is RD_KAFKA_CONF_UNKNOWN.
    rd_kafka_conf_res_t result = rd_kafka_conf_set(conf, name, "", errstr, sizeof errstr);
    rd_kafka_conf_destroy(conf);
    return result != RD_KAFKA_CONF_UNKNOWN;
}

void CRdKafka_messages_destroy(rd_kafka_message_t **messages, size_t count) {
    for (size_t i = 0; i < count; i++) rd_kafka_message_destroy(messages[i]);
}

rd_kafka_resp_err_t CRdKafka_consumer_close(rd_kafka_t *rk) { return rd_kafka_consumer_close(rk); }

rd_kafka_resp_err_t CRdKafka_create_topics(rd_kafka_t *rk, const CRdKafka_new_topic *topics, size_t count,
                                           int timeout_ms, rd_kafka_resp_err_t *errors, char *error_strings,
                                           size_t error_string_size) {
    char errstr[512];
    rd_kafka_NewTopic_t **new_topics = calloc(count ? count : 1, sizeof(*new_topics));
    if (!new_topics) return RD_KAFKA_RESP_ERR__FAIL;
    rd_kafka_resp_err_t result = RD_KAFKA_RESP_ERR_NO_ERROR;
    size_t made = 0;
    for (; made < count; made++) {
        const CRdKafka_new_topic *t = &topics[made];
        new_topics[made] = rd_kafka_NewTopic_new(t->name, t->partitions, t->replication_factor, errstr, sizeof errstr);
        if (!new_topics[made]) {
            result = RD_KAFKA_RESP_ERR__INVALID_ARG;
            errors[made] = result;
            if (error_strings) snprintf(error_strings + made * error_string_size, error_string_size, "%s", errstr);
            goto done;
        }
        for (size_t c = 0; c < t->config_count; c++) {
            rd_kafka_resp_err_t err = rd_kafka_NewTopic_set_config(new_topics[made], t->config_keys[c], t->config_values[c]);
            if (err) {
                result = err;
                errors[made] = err;
                made++;
                goto done;
            }
        }
    }
    {
        rd_kafka_queue_t *queue = rd_kafka_queue_new(rk);
        rd_kafka_AdminOptions_t *options = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
        rd_kafka_AdminOptions_set_request_timeout(options, timeout_ms, errstr, sizeof errstr);
        rd_kafka_AdminOptions_set_operation_timeout(options, timeout_ms, errstr, sizeof errstr);
        rd_kafka_CreateTopics(rk, new_topics, count, options, queue);
        // The request timeout above makes librdkafka answer; the extra second is only a safety margin.
        rd_kafka_event_t *event = rd_kafka_queue_poll(queue, timeout_ms + 1000);
        if (!event) {
            result = RD_KAFKA_RESP_ERR__TIMED_OUT;
        } else if (rd_kafka_event_error(event)) {
            result = rd_kafka_event_error(event);
        } else {
            const rd_kafka_CreateTopics_result_t *answer = rd_kafka_event_CreateTopics_result(event);
            size_t answered = 0;
            const rd_kafka_topic_result_t **results = rd_kafka_CreateTopics_result_topics(answer, &answered);
            for (size_t i = 0; i < answered && i < count; i++) {
                // Results follow the request order; match by name to be safe.
                for (size_t j = 0; j < count; j++) {
                    if (strcmp(rd_kafka_topic_result_name(results[i]), topics[j].name) != 0) continue;
                    errors[j] = rd_kafka_topic_result_error(results[i]);
                    const char *message = rd_kafka_topic_result_error_string(results[i]);
                    if (error_strings && message) {
                        snprintf(error_strings + j * error_string_size, error_string_size, "%s", message);
                    }
                }
            }
        }
        if (event) rd_kafka_event_destroy(event);
        rd_kafka_AdminOptions_destroy(options);
        rd_kafka_queue_destroy(queue);
    }
done:
    for (size_t i = 0; i < made; i++) {
        if (new_topics[i]) rd_kafka_NewTopic_destroy(new_topics[i]);
    }
    free(new_topics);
    return result;
}

struct CRdKafka_mock {
    rd_kafka_t *host;
    rd_kafka_mock_cluster_t *cluster;
};

/// Kafka's brokers set TCP_NODELAY on every connection; the mock's do not, and a response written in two pieces
/// then waits for the client's delayed acknowledgement (about 40 ms on Linux). The mock's connections are accepted
/// from its listening sockets, which they take the option from: so it is set on each listening socket of this
/// process whose port is one of the cluster's (`bootstraps`: "127.0.0.1:port,...").
static void CRdKafka_mock_disable_nagle(const char *bootstraps) {
    int ports[64];
    size_t port_count = 0;
    for (const char *cursor = bootstraps; cursor && *cursor && port_count < 64;) {
        const char *colon = strchr(cursor, ':');
        if (!colon) break;
        ports[port_count++] = atoi(colon + 1);
        cursor = strchr(colon, ',');
        if (cursor) cursor++;
    }
    DIR *directory = opendir("/proc/self/fd");
    if (!directory) return;
    struct dirent *entry;
    while ((entry = readdir(directory))) {
        int fd = atoi(entry->d_name);
        if (fd <= 2) continue;
        int listening = 0;
        socklen_t length = sizeof listening;
        if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) != 0 || !listening) continue;
        struct sockaddr_in address;
        length = sizeof address;
        if (getsockname(fd, (struct sockaddr *)&address, &length) != 0 || address.sin_family != AF_INET) continue;
        for (size_t index = 0; index < port_count; index++) {
            if (ntohs(address.sin_port) != ports[index]) continue;
            int on = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        }
    }
    closedir(directory);
}

CRdKafka_mock *CRdKafka_mock_new(int broker_count, char *errstr, size_t errstr_size) {
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    // The host handle only owns the cluster; it connects nowhere and logs nothing of its own.
    if (rd_kafka_conf_set(conf, "log_level", "3", errstr, errstr_size) != RD_KAFKA_CONF_OK) {
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    rd_kafka_t *host = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, errstr_size);
    if (!host) {
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    rd_kafka_mock_cluster_t *cluster = rd_kafka_mock_cluster_new(host, broker_count);
    if (!cluster) {
        snprintf(errstr, errstr_size, "the mock cluster could not start %d brokers", broker_count);
        rd_kafka_destroy(host);
        return NULL;
    }
    CRdKafka_mock *mock = calloc(1, sizeof(CRdKafka_mock));
    if (!mock) {
        snprintf(errstr, errstr_size, "out of memory");
        rd_kafka_mock_cluster_destroy(cluster);
        rd_kafka_destroy(host);
        return NULL;
    }
    mock->host = host;
    mock->cluster = cluster;
    CRdKafka_mock_disable_nagle(rd_kafka_mock_cluster_bootstraps(cluster));
    return mock;
}

void CRdKafka_mock_destroy(CRdKafka_mock *mock) {
    if (!mock) return;
    rd_kafka_mock_cluster_destroy(mock->cluster);
    rd_kafka_destroy(mock->host);
    free(mock);
}

rd_kafka_mock_cluster_t *CRdKafka_mock_cluster(CRdKafka_mock *mock) { return mock->cluster; }

void CRdKafka_mock_push_request_errors(CRdKafka_mock *mock, int16_t api_key, const rd_kafka_resp_err_t *errors,
                                       size_t count) {
    rd_kafka_mock_push_request_errors_array(mock->cluster, api_key, count, errors);
}
