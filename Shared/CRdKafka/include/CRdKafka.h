// CRdKafka: the C side of the boundary between Swift and librdkafka.
//
// librdkafka is a C library with variadic calls, callbacks on its own threads and opaque pointers.
// Swift calls it well except for those three things, so this shim exists for exactly them:
// - handle creation with every callback installed (one C trampoline per librdkafka callback, all
//   funnelled into one `CRdKafka_callbacks` table that Swift provides),
// - the variadic producev call, batched so that many messages cross the boundary in one call,
// - a consumer poll that returns a batch of messages in one call,
// - admin topic creation, and the variadic mock-cluster fault injection.
// Every function this target exports starts with `CRdKafka_`.
//
// Threads: every callback is invoked on the thread that calls `CRdKafka_poll` (producer) or
// `CRdKafka_consumer_poll_batch` / `CRdKafka_consumer_close` (consumer). librdkafka's own log lines are
// routed to that thread too (`log.queue`), so Swift never sees a call from an internal librdkafka thread.

#ifndef CRDKAFKA_H
#define CRDKAFKA_H

#include <stddef.h>
#include <stdint.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#ifdef __cplusplus
extern "C" {
#endif

/// One outcome of a produced message, as librdkafka reported it.
typedef struct CRdKafka_delivery_report {
    /// The opaque value given with the message to `CRdKafka_produce_batch`.
    uint64_t opaque;
    /// `RD_KAFKA_RESP_ERR_NO_ERROR` when the broker acknowledged the message.
    rd_kafka_resp_err_t error;
    int32_t partition;
    int64_t offset;
} CRdKafka_delivery_report;

/// What kind of rebalance step a `rebalance` callback reports.
typedef enum CRdKafka_rebalance_kind {
    /// Partitions are being assigned. The callee may set `offset` on each partition in the list to start
    /// there; `RD_KAFKA_OFFSET_INVALID` keeps the committed offset (or `auto.offset.reset`).
    CRdKafka_rebalance_assign = 1,
    /// Partitions are being revoked. They move only after the callback returns.
    CRdKafka_rebalance_revoke = 2,
    /// Partitions were lost (session timed out); another member may already own them.
    CRdKafka_rebalance_lost = 3,
} CRdKafka_rebalance_kind;

/// The callbacks that Swift installs on a handle. Any member may be NULL. `context` is the pointer given to
/// `CRdKafka_new`. All are called on the polling thread (see the file comment).
typedef struct CRdKafka_callbacks {
    void (*log)(void *context, int level, const char *facility, const char *message);
    void (*error)(void *context, int error, const char *reason);
    void (*statistics)(void *context, const char *json, size_t length);
    void (*delivery)(void *context, const CRdKafka_delivery_report *reports, size_t count);
    void (*rebalance)(void *context, CRdKafka_rebalance_kind kind, rd_kafka_topic_partition_list_t *partitions);
} CRdKafka_callbacks;

/// Creates a producer or consumer from `count` configuration pairs, with `callbacks` installed and
/// `context` passed to each of them. A consumer has its main queue redirected to the consumer queue.
/// Returns NULL and fills `errstr` when a property is unknown or invalid, or the handle cannot be made.
rd_kafka_t *CRdKafka_new(rd_kafka_type_t type, const char *const *keys, const char *const *values, size_t count,
                         const CRdKafka_callbacks *callbacks, void *context, char *errstr, size_t errstr_size);

/// Destroys a handle created by `CRdKafka_new` and the shim's per-handle state. After it returns no
/// callback is called again, and `context` may be released.
void CRdKafka_destroy(rd_kafka_t *rk);

/// A header of a message to produce. `value` may be NULL (a null header value).
typedef struct CRdKafka_header {
    const char *name;
    const void *value;
    size_t value_length;
} CRdKafka_header;

/// A message to produce. `partition` is `RD_KAFKA_PARTITION_UA` to let the configured partitioner choose.
typedef struct CRdKafka_message {
    /// A topic handle of the producing client (`rd_kafka_topic_new`); kept for the client's lifetime, so that
    /// librdkafka knows the topic's metadata before the first message rather than on its next refresh timer.
    rd_kafka_topic_t *topic;
    int32_t partition;
    const void *key;
    size_t key_length;
    const void *value;
    size_t value_length;
    const CRdKafka_header *headers;
    size_t header_count;
    /// Milliseconds since the epoch; 0 stamps the message now.
    int64_t timestamp;
    /// Returned unchanged in the message's delivery report.
    uint64_t opaque;
} CRdKafka_message;

/// Enqueues messages in order (librdkafka copies key, value and headers). Stops at the first message that
/// cannot be enqueued and stores its error in `error` (for example `RD_KAFKA_RESP_ERR__QUEUE_FULL`: poll
/// and retry from there). Returns how many were enqueued.
size_t CRdKafka_produce_batch(rd_kafka_t *rk, const CRdKafka_message *messages, size_t count,
                              rd_kafka_resp_err_t *error);

/// Enqueues messages of one topic in order through librdkafka's batch interface (`rd_kafka_produce_batch`): one
/// call, one clock reading and one topic lock for all of them, where `CRdKafka_produce_batch` makes a call, a
/// partitioner run and a lock per message. Only `partition` (`RD_KAFKA_PARTITION_UA` to let the partitioner
/// choose), the key, the value and `opaque` of each message are read: the messages have no headers, and all are
/// stamped now. A message that cannot be enqueued gets its error in `errors` and the others go on, except that
/// once the queue is full (`RD_KAFKA_RESP_ERR__QUEUE_FULL`) every later message gets that error too and none of
/// them is enqueued. Returns how many were enqueued.
size_t CRdKafka_produce_run(rd_kafka_topic_t *topic, const CRdKafka_message *messages, size_t count,
                            rd_kafka_resp_err_t *errors);

/// Serves a producer's queue for up to `timeout_ms`: delivery reports reach the `delivery` callback in
/// batches, then log, error and statistics callbacks. Returns the number of events served.
int CRdKafka_poll(rd_kafka_t *rk, int timeout_ms);

/// Polls a consumer: waits up to `timeout_ms` for the first message, then takes what is already fetched,
/// up to `capacity`, without waiting. Stops early after a rebalance so that a batch never spans one.
/// Rebalance, log, error and statistics callbacks run inside this call. The caller owns the returned
/// messages and releases them with `CRdKafka_messages_destroy`. Error messages (with `err` set) are
/// included in order.
size_t CRdKafka_consumer_poll_batch(rd_kafka_t *rk, int timeout_ms, rd_kafka_message_t **messages,
                                    size_t capacity);

/// Destroys `count` messages returned by `CRdKafka_consumer_poll_batch`.
void CRdKafka_messages_destroy(rd_kafka_message_t **messages, size_t count);

/// Leaves the group: revokes the assignment (the `rebalance` callback runs, on this thread) and commits
/// nothing by itself unless auto commit is on.
rd_kafka_resp_err_t CRdKafka_consumer_close(rd_kafka_t *rk);

/// A topic to create with `CRdKafka_create_topics`.
typedef struct CRdKafka_new_topic {
    const char *name;
    int partitions;
    int replication_factor;
    const char *const *config_keys;
    const char *const *config_values;
    size_t config_count;
} CRdKafka_new_topic;

/// Creates topics through the Admin API and waits up to `timeout_ms` for the controller's answer.
/// `errors[i]` and `error_strings[i]` (a buffer of `error_string_size` each, may be NULL) receive each
/// topic's outcome. Returns the request-level error: `RD_KAFKA_RESP_ERR__TIMED_OUT` when no answer came.
rd_kafka_resp_err_t CRdKafka_create_topics(rd_kafka_t *rk, const CRdKafka_new_topic *topics, size_t count,
                                           int timeout_ms, rd_kafka_resp_err_t *errors, char *error_strings,
                                           size_t error_string_size);

/// An in-process mock cluster (librdkafka's `rdkafka_mock.h`) together with the handle that hosts it.
typedef struct CRdKafka_mock CRdKafka_mock;

/// Starts a mock cluster of `broker_count` brokers on loopback ports. NULL with `errstr` on failure.
CRdKafka_mock *CRdKafka_mock_new(int broker_count, char *errstr, size_t errstr_size);

/// Stops the mock cluster and its host handle.
void CRdKafka_mock_destroy(CRdKafka_mock *mock);

/// The cluster, for the `rd_kafka_mock_*` calls.
rd_kafka_mock_cluster_t *CRdKafka_mock_cluster(CRdKafka_mock *mock);

/// Makes the next `count` requests of `api_key` fail with `errors[0..count)`, in order.
void CRdKafka_mock_push_request_errors(CRdKafka_mock *mock, int16_t api_key, const rd_kafka_resp_err_t *errors,
                                       size_t count);

/// Whether `name` is a librdkafka configuration property (global or topic-level), whatever its value.
int CRdKafka_is_property(const char *name);

#ifdef __cplusplus
}
#endif

#endif  // CRDKAFKA_H
