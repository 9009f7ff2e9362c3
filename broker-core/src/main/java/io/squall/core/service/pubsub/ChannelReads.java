package io.squall.core.service.pubsub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.api.ChannelReader;
import io.squall.core.broker.Broker;
import io.squall.core.broker.BrokerFailures;
import io.squall.core.broker.HistoryQuery;
import io.squall.core.broker.HistoryResult;
import io.squall.core.broker.PresenceInfo;
import io.squall.core.broker.PresenceManager;
import io.squall.core.broker.Publication;
import io.squall.core.error.ErrorName;
import io.squall.api.JsonKey;
import io.squall.core.protocol.ProtocolCodec;
import io.squall.core.rpc.Request;
import io.squall.core.rpc.RpcException;
import io.squall.core.state.StateBudget;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * PubSub's reads of what a channel keeps: {@code history}, {@code presence} and {@code presence_stats}, for
 * clients (behind the policy) and for the backend ({@code trusted}: always allowed).
 */
public final class ChannelReads implements ChannelReader {
    private final String service;
    private final ProtocolCodec codec;
    private final ChannelPolicy policy;
    private final ChannelOptionsRules channels;
    private final int maxPublications;
    private final Broker broker;
    private final PresenceManager presence;
    private final StateBudget budget;

    ChannelReads(String service, ProtocolCodec codec, ChannelPolicy policy, PubSubSettings settings, Broker broker,
            PresenceManager presence, StateBudget budget) {
        this.service = service;
        this.codec = codec;
        this.policy = policy;
        this.channels = settings.channels();
        this.maxPublications = settings.maxRecoveredPublications();
        this.broker = broker;
        this.presence = presence;
        this.budget = budget;
    }

    void history(Request request, HistoryParams params, boolean trusted) {
        JsonKey channel = budget.key(params.channel());
        if (!trusted && !policy.mayReadHistory(request.client(), channel)) {
            throw new RpcException(ErrorName.NOT_AUTHORIZED);
        }
        int limit = params.limit() < 0 ? maxPublications : params.limit();
        long since = params.since() == null ? 0 : params.since().offset();
        history(channel, new HistoryQuery(since, limit, params.reverse()), (history, error) -> {
            if (error != null) {
                request.error(error);
                return;
            }
            if (params.since() != null && !params.since().epoch().equals(history.position().epoch())) {
                request.error(ErrorName.UNRECOVERABLE_POSITION);
                return;
            }
            ObjectNode reply = Positions.write(codec.mapper().createObjectNode(), history.position());
            var publications = reply.putArray("publications");
            for (Publication publication : history.publications()) {
                publications.addObject().put("offset", publication.offset()).set("message", publication.data());
            }
            request.reply(reply);
        });
    }

    void presence(Request request, ChannelParams params, boolean trusted) {
        JsonKey channel = budget.key(params.channel());
        if (!trusted && !policy.mayReadPresence(request.client(), channel)) {
            throw new RpcException(ErrorName.NOT_AUTHORIZED);
        }
        presence(channel, (present, error) -> {
            if (error != null) {
                request.error(error);
                return;
            }
            ObjectNode reply = codec.mapper().createObjectNode();
            ObjectNode clients = reply.putObject("clients");
            present.forEach((id, info) -> clients.putObject(id).set("identity", info.identity() == null
                    ? codec.mapper().nullNode() : info.identity()));
            request.reply(reply);
        });
    }

    void presenceStats(Request request, ChannelParams params, boolean trusted) {
        JsonKey channel = presenceChannel(request, params, trusted);
        presence.stats(channel, (stats, failure) -> {
            if (failure != null) {
                request.error(BrokerFailures.errorName(service, failure));
                return;
            }
            request.reply(codec.mapper().createObjectNode()
                    .put("clients", stats.clients()).put("users", stats.users()));
        });
    }

    /**
     * The trusted history read, without a request (the commands above and the public API's services): {@code onLoop}
     * gets the result, or the error name (history not enabled on the channel, a limit past
     * {@code recovery.max.publications}, the engine's failure). Loop thread.
     */
    @Override
    public void history(JsonKey channel, HistoryQuery query, BiConsumer<HistoryResult, ErrorName> onLoop) {
        if (!channels.of(channel).history().enabled()) {
            onLoop.accept(null, ErrorName.HISTORY_NOT_ENABLED);
        } else if (query.limit() > maxPublications) {
            onLoop.accept(null, ErrorName.INVALID_PARAMS);
        } else {
            broker.history(channel, query, (history, failure) -> onLoop.accept(history,
                    failure == null ? null : BrokerFailures.errorName(service, failure)));
        }
    }

    /** The trusted presence read, without a request: client id to identity (null: anonymous). Loop thread. */
    @Override
    public void presence(JsonKey channel, BiConsumer<Map<String, PresenceInfo>, ErrorName> onLoop) {
        if (!channels.of(channel).presence()) {
            onLoop.accept(null, ErrorName.PRESENCE_NOT_ENABLED);
        } else {
            presence.presence(channel, (present, failure) -> onLoop.accept(present,
                    failure == null ? null : BrokerFailures.errorName(service, failure)));
        }
    }

    private JsonKey presenceChannel(Request request, ChannelParams params, boolean trusted) {
        JsonKey channel = budget.key(params.channel());
        if (!trusted && !policy.mayReadPresence(request.client(), channel)) {
            throw new RpcException(ErrorName.NOT_AUTHORIZED);
        }
        if (!channels.of(channel).presence()) {
            throw new RpcException(ErrorName.PRESENCE_NOT_ENABLED);
        }
        return channel;
    }
}
