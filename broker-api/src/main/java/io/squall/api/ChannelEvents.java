package io.squall.api;

/**
 * Tells the application's webhooks ({@code webhooks.*}, docs/hooks-webhooks.md) that a client is in or out of a
 * channel of this service: its {@code subscribed}/{@code unsubscribed} events, and {@code occupied}/{@code vacated}
 * as the channel's first client comes and its last goes, cluster-wide. Reported only when {@code webhooks.services}
 * names the service; otherwise the calls do nothing. Report each {@code subscribed} once it is in place and one
 * {@code unsubscribed} for it whatever ends it (a disconnect included). Loop thread only.
 */
public interface ChannelEvents {
    void subscribed(Caller caller, JsonKey channel);

    void unsubscribed(Caller caller, JsonKey channel);
}
