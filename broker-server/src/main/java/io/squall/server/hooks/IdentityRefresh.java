package io.squall.server.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.Client;
import io.squall.core.error.CloseCode;
import io.squall.core.loop.Cancellable;
import io.squall.core.loop.EventLoop;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;

/**
 * Identities that expire (a connect proxy's {@code expiresAt}): a timer on the loop per connection asks the refresh
 * proxy ahead of the expiry, by the proxy's deadline and a second; {@code result.expiresAt} extends it (absent:
 * no further expiry), a refusal closes the connection with 4006 (a {@code disconnect} with its own code), and no
 * answer is asked again once, then the connection is closed with 4006 at the expiry. Without a refresh proxy the
 * connection is closed at the expiry. Loop only.
 */
final class IdentityRefresh {
    private final EventLoop loop;
    private final InstantSource clock;
    private final ProxyCaller caller; // null: no refresh proxy
    private final ConnectionIds ids;
    private final Duration lead;
    private final Map<Client, Cancellable> timers = new HashMap<>();

    IdentityRefresh(EventLoop loop, InstantSource clock, ProxyCaller caller, Duration timeout, ConnectionIds ids) {
        this.loop = loop;
        this.clock = clock;
        this.caller = caller;
        this.ids = ids;
        this.lead = timeout.plusSeconds(1);
    }

    void start(Client client, long expiresAt) {
        schedule(client, expiresAt);
    }

    void stop(Client client) {
        Cancellable timer = timers.remove(client);
        if (timer != null) {
            timer.cancel();
        }
    }

    private void schedule(Client client, long expiresAt) {
        Duration left = Duration.ofMillis(expiresAt * 1000 - clock.millis());
        if (caller == null) {
            at(client, left, () -> expire(client));
            return;
        }
        Duration ask = left.minus(lead);
        at(client, ask, () -> ask(client, expiresAt, 1));
    }

    private void at(Client client, Duration delay, Runnable task) {
        stop(client);
        timers.put(client, loop.schedule(delay.isNegative() ? Duration.ZERO : delay, () -> {
            timers.remove(client);
            task.run();
        }));
    }

    private void ask(Client client, long expiresAt, int retries) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("client", ids.of(client));
        body.set("identity", client.identity().orElse(NullNode.getInstance()));
        // a timer stands for the call in flight, so a disconnect meanwhile is seen: stop() removes it
        timers.put(client, () -> {});
        caller.call(body, Handshake.of(client).headers(), answer -> {
            if (timers.remove(client) == null) {
                return; // gone meanwhile
            }
            switch (answer) {
                case ProxyAnswer.Result result -> extend(client, result.result().get("expiresAt"));
                case ProxyAnswer.Refused refused -> client.close(CloseCode.IDENTITY_EXPIRED);
                case ProxyAnswer.Disconnect disconnect -> client.close(disconnect.code(), disconnect.reason());
                case ProxyAnswer.Failed failed -> {
                    if (retries > 0) {
                        ask(client, expiresAt, retries - 1);
                    } else {
                        at(client, Duration.ofMillis(expiresAt * 1000 - clock.millis()), () -> expire(client));
                    }
                }
            }
        });
    }

    private void extend(Client client, JsonNode expiresAt) {
        if (expiresAt == null || expiresAt.isNull()) {
            return; // no further expiry
        }
        if (!expiresAt.isIntegralNumber() || !expiresAt.canConvertToLong()) {
            client.close(CloseCode.IDENTITY_EXPIRED); // a bad answer extends nothing
            return;
        }
        schedule(client, expiresAt.longValue());
    }

    private static void expire(Client client) {
        client.close(CloseCode.IDENTITY_EXPIRED);
    }
}
