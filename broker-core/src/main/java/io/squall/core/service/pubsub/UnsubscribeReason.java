package io.squall.core.service.pubsub;

/**
 * Why the server ended a subscription, sent as {@code {"type":"unsubscribed","channel":C,"code":N,"reason":R}}.
 * Codes from 2500 up (as centrifuge's) mean: subscribe again, with {@code since} your last offset, to recover.
 */
public enum UnsubscribeReason {
    /**
     * The subscription's stream jumped (a publication lost between the engine and this node, or the history was
     * reset under a new epoch): nothing is skipped in silence; resubscribing with {@code since} recovers what the
     * history still holds, or says {@code recovered: false}.
     */
    INSUFFICIENT_STATE(2500, "Insufficient state");

    private final int code;
    private final String text;

    UnsubscribeReason(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int code() {
        return code;
    }

    public String text() {
        return text;
    }
}
