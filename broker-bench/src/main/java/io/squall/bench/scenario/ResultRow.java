package io.squall.bench.scenario;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One measured step, as written to the results file (one JSON object a line) and read back by the report.
 * Fields that do not apply to a scenario are null.
 *
 * @param broker squall, nats or mosquitto
 * @param scenario fanout, channels, idle or ingest
 * @param connections subscriber (or idle, or ingest) connections
 * @param payload payload bytes
 * @param target deliveries/s asked for (fanout, channels)
 * @param published publications sent in the step
 * @param expected deliveries owed: every publication times its channel's subscribers
 * @param delivered deliveries received within the step and its drain window
 * @param lost expected minus delivered
 * @param rate deliveries/s achieved (fanout, channels) or publishes/s accepted (ingest)
 * @param p50 latency median in ms, from the intended send time
 * @param p99 latency 99th percentile in ms
 * @param p999 latency 99.9th percentile in ms
 * @param serverCpu broker CPU, percent of one core
 * @param clientCpu generator CPU, percent of one core
 * @param serverRssMb broker resident memory at the end of the step, MiB
 * @param clientBound whether the generator's core was over 70 %, so the figure is a lower bound
 * @param saturated whether this step showed the broker's limit (losses, disconnects, or under 90 % of target)
 * @param rssPerConnKb idle: broker RSS growth per connection, KiB
 * @param heapPerConnKb idle: broker heap growth per connection, KiB (JVM brokers)
 * @param transport ingest: how publications reached the broker
 * @param batch ingest: publications per request or per confirmed unit
 * @param errors error replies and disconnects seen in the step
 * @param note anything a reader must know about this row
 * @param variant what this row's system was run with (history on or off, the jar measured, a cluster node), if it
 *     matters
 * @param round which alternation round of a repeated measurement this is (1, 2, ...)
 * @param elapsedMs recovery: from the start of the reconnection until every client had all it missed, ms
 * @param recovered recovery: subscriptions answered {@code recovered: true}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResultRow(
        String broker,
        String scenario,
        Integer connections,
        Integer payload,
        Double target,
        Long published,
        Long expected,
        Long delivered,
        Long lost,
        Double rate,
        Double p50,
        Double p99,
        Double p999,
        Double serverCpu,
        Double clientCpu,
        Double serverRssMb,
        Boolean clientBound,
        Boolean saturated,
        Double rssPerConnKb,
        Double heapPerConnKb,
        String transport,
        Integer batch,
        Long errors,
        String note,
        String variant,
        Integer round,
        Double elapsedMs,
        Long recovered) {

    /** A row of the single-node scenarios (no variant, round or recovery figures). */
    public ResultRow(String broker, String scenario, Integer connections, Integer payload, Double target,
            Long published, Long expected, Long delivered, Long lost, Double rate, Double p50, Double p99, Double p999,
            Double serverCpu, Double clientCpu, Double serverRssMb, Boolean clientBound, Boolean saturated,
            Double rssPerConnKb, Double heapPerConnKb, String transport, Integer batch, Long errors, String note) {
        this(broker, scenario, connections, payload, target, published, expected, delivered, lost, rate, p50, p99,
                p999, serverCpu, clientCpu, serverRssMb, clientBound, saturated, rssPerConnKb, heapPerConnKb,
                transport, batch, errors, note, null, null, null, null);
    }

    /** This row as measured by {@code label} (the system's name in the report) with {@code variant} and round. */
    ResultRow relabel(String label, String newVariant, Integer newRound) {
        return new ResultRow(label == null ? broker : label, scenario, connections, payload, target, published,
                expected, delivered, lost, rate, p50, p99, p999, serverCpu, clientCpu, serverRssMb, clientBound,
                saturated, rssPerConnKb, heapPerConnKb, transport, batch, errors, note,
                newVariant == null ? variant : newVariant, newRound == null ? round : newRound, elapsedMs, recovered);
    }

    static Builder of(String broker, String scenario) {
        return new Builder(broker, scenario);
    }

    /** Collects a row field by field (the scenarios fill different subsets). */
    static final class Builder {
        private final String broker;
        private final String scenario;
        Integer connections;
        Integer payload;
        Double target;
        Long published;
        Long expected;
        Long delivered;
        Long lost;
        Double rate;
        Double p50;
        Double p99;
        Double p999;
        Double serverCpu;
        Double clientCpu;
        Double serverRssMb;
        Boolean clientBound;
        Boolean saturated;
        Double rssPerConnKb;
        Double heapPerConnKb;
        String transport;
        Integer batch;
        Long errors;
        String note;
        String variant;
        Integer round;
        Double elapsedMs;
        Long recovered;

        private Builder(String broker, String scenario) {
            this.broker = broker;
            this.scenario = scenario;
        }

        Builder cpu(double server, double client) {
            this.serverCpu = finite(server);
            this.clientCpu = finite(client);
            this.clientBound = client > 70;
            return this;
        }

        ResultRow build() {
            return new ResultRow(broker, scenario, connections, payload, target, published, expected, delivered, lost,
                    rate, p50, p99, p999, serverCpu, clientCpu, serverRssMb, clientBound, saturated, rssPerConnKb,
                    heapPerConnKb, transport, batch, errors, note, variant, round, elapsedMs, recovered);
        }

        private static Double finite(double value) {
            return Double.isFinite(value) ? Math.round(value * 10) / 10.0 : null;
        }
    }
}
