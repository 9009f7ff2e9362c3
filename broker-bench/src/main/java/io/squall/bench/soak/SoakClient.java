package io.squall.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.squall.bench.net.FrameDecoder;
import io.squall.bench.net.Listener;
import io.squall.bench.net.WsConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A public subscriber: subscribes, then checks every publication's sequence number per stream (a channel, or a SNAP
 * node on a channel) and records its latency. Every callback runs on the connector's loop thread, so its streams
 * need no locks; totals go to a shared {@link Tally}.
 */
class SoakClient implements FrameDecoder, Listener {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String TYPE_MESSAGE = "\"type\":\"message\"";
    private static final String CHANNEL = "\"channel\":\"";
    private static final String SEQ = "\"message\":{\"seq\":";
    private static final String SENT = ",\"t\":";

    final Tally tally;
    final AtomicLong acks = new AtomicLong();
    private final long firstSeq;
    final Map<String, SeqCheck> streams = new ConcurrentHashMap<>();
    /** the channels it subscribed to, and how many answers that takes */
    final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    volatile int streamsWanted;
    volatile WsConnection connection;
    volatile boolean closing;
    volatile boolean closed;

    /** @param firstSeq the first number every stream must start at; -1: any (a client joining mid-stream) */
    SoakClient(Tally tally, long firstSeq) {
        this.tally = tally;
        this.firstSeq = firstSeq;
    }

    void subscribe(WsConnection to, Iterable<String> channels) {
        this.connection = to;
        int callId = 0;
        for (String channel : channels) {
            String frame = "{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\",\"params\":{\"channel\":"
                    + JSON.valueToTree(channel) + "},\"callId\":" + callId++ + "}}";
            to.write(Unpooled.copiedBuffer(frame, StandardCharsets.UTF_8));
        }
        to.flush();
    }

    @Override
    public void decode(ByteBuf frame, WsConnection from) {
        String text = frame.toString(StandardCharsets.UTF_8);
        if (fastPublication(text)) {
            return;
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException e) {
            tally.error("unparsable frame: " + text);
            return;
        }
        JsonNode message = root.path("message");
        switch (message.path("type").asText()) {
            case "message" -> publication(message.path("channel").asText(), message.path("message"));
            case "response" -> acks.incrementAndGet();
            default -> tally.error("unexpected frame: " + root);
        }
    }

    /**
     * The backends' publications, {@code ..."type":"message","channel":"C","message":{"seq":N,"t":T,...}}, read
     * without building a tree: thousands arrive each second on one thread, which must also answer pings in time on
     * a busy machine. False for any other frame (the tree reader takes it).
     */
    private boolean fastPublication(String text) {
        int type = text.indexOf(TYPE_MESSAGE);
        int channel = text.indexOf(CHANNEL, type);
        int seq = text.indexOf(SEQ, channel);
        int sent = text.indexOf(SENT, seq);
        if (type < 0 || channel < 0 || seq < 0 || sent < 0) {
            return false;
        }
        int channelEnd = text.indexOf('"', channel + CHANNEL.length());
        long seqValue = number(text, seq + SEQ.length());
        long sentValue = number(text, sent + SENT.length());
        if (channelEnd < 0 || seqValue < 0 || sentValue == Long.MIN_VALUE) {
            return false;
        }
        stream(text.substring(channel + CHANNEL.length(), channelEnd), seqValue, sentValue);
        return true;
    }

    /** The integer starting at {@code at} (a leading minus allowed), or Long.MIN_VALUE. */
    private static long number(String text, int at) {
        int end = at;
        if (end < text.length() && text.charAt(end) == '-') {
            end++;
        }
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        try {
            return Long.parseLong(text.substring(at, end));
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    /** One publication: {@code {"seq":N,"t":NANOS}} from the backend publishers. */
    void publication(String channel, JsonNode message) {
        JsonNode seq = message.path("seq");
        if (!seq.isIntegralNumber()) {
            tally.error("publication without a sequence number on " + channel + ": " + message);
            return;
        }
        stream(channel, seq.asLong(), message.path("t").asLong());
    }

    final void stream(String key, long seq, long sentNanos) {
        tally.delivered.incrementAndGet();
        tally.latency(sentNanos);
        SeqCheck check = streams.computeIfAbsent(key, k -> new SeqCheck(firstSeq));
        long gaps = check.gaps();
        long late = check.outOfOrder();
        check.accept(seq);
        if (check.gaps() > gaps) {
            tally.note("gap on " + key + ": got " + seq + " after " + (check.next() - 1 - (check.gaps() - gaps)));
        }
        if (check.outOfOrder() > late) {
            tally.outOfOrder.incrementAndGet();
            tally.note("out of order on " + key + ": " + seq + " after " + (check.next() - 1));
        }
        received(check);
    }

    /** Hook for clients that act on what they received (churn clients leave after a few). */
    void received(SeqCheck check) {}

    @Override
    public void delivered(ByteBuf buf, int from, int to) {
        // this class decodes frames itself
    }

    @Override
    public void acked(WsConnection from) {
        acks.incrementAndGet();
    }

    @Override
    public void failed(WsConnection from, String error) {
        if (!closing) {
            tally.error(error);
        }
    }

    @Override
    public void closed(WsConnection from) {
        closed = true;
        if (!closing) {
            tally.unexpectedCloses.incrementAndGet();
            tally.note("a subscriber was closed by the broker");
        }
    }

    void close() {
        closing = true;
        WsConnection open = connection;
        if (open != null) {
            open.close();
        }
    }
}
