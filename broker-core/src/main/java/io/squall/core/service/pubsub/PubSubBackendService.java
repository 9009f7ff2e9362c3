package io.squall.core.service.pubsub;

import io.squall.core.ServiceContext;
import io.squall.core.rpc.Request;
import io.squall.core.rpc.RpcService;

/** The private registry's {@code publish}: drives a {@link PubSubService} past its channel policy (Snorky's PubSubBackend). */
public final class PubSubBackendService extends RpcService {
    private final PubSubService frontend;

    public PubSubBackendService(String name, ServiceContext context, PubSubService frontend) {
        super(name, context);
        this.frontend = frontend;
        commands().add("publish", PublishParams.class, PublishParams::bind, this::publish);
    }

    private Object publish(Request request, PublishParams params) {
        frontend.publish(params.channel(), params.message());
        return null; // Snorky answers data: null
    }
}
