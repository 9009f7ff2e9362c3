package io.squall.core.service.pubsub;

import io.squall.core.ServiceContext;
import io.squall.core.broker.BrokerFailures;
import io.squall.core.rpc.Request;
import io.squall.core.rpc.RpcService;

/**
 * The private registry's PubSub (Snorky's PubSubBackend): {@code publish} past the channel policy, answered once the
 * engine accepted it (data null, or {@code {"offset","epoch"}} on a channel with history), with an optional
 * idempotency key; and {@code history}, {@code presence}, {@code presence_stats}, always allowed.
 */
public final class PubSubBackendService extends RpcService {
    private final PubSubService frontend;

    public PubSubBackendService(String name, ServiceContext context, PubSubService frontend) {
        super(name, context);
        this.frontend = frontend;
        commands()
                .addAsync("publish", BackendPublishParams.class, BackendPublishParams::bind, this::publish)
                .addAsync("history", HistoryParams.class, HistoryParams::bind, (r, p) -> frontend.reads().history(r, p, true))
                .addAsync("presence", ChannelParams.class, (r, p) -> frontend.reads().presence(r, p, true))
                .addAsync("presence_stats", ChannelParams.class, (r, p) -> frontend.reads().presenceStats(r, p, true));
    }

    private void publish(Request request, BackendPublishParams params) {
        frontend.publish(context.budget().key(params.channel()), params.message(), params.idempotencyKey(), (result, failure) -> {
            if (failure != null) {
                request.error(BrokerFailures.errorName(name(), failure));
            } else if (result.position() == null) {
                request.reply(null); // Snorky answers data: null
            } else {
                request.reply(Positions.write(context.codec().mapper().createObjectNode(), result.position()));
            }
        });
    }
}
