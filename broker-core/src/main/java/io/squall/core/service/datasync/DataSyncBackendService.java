package io.squall.core.service.datasync;

import io.squall.core.ServiceContext;
import io.squall.core.rpc.Request;
import io.squall.core.rpc.RpcService;

/**
 * The private registry's half of DataSync (Snorky's DataSyncBackend): the web app authorizes subscriptions,
 * getting tokens to hand to its browsers, and publishes deltas as its data changes.
 */
public final class DataSyncBackendService extends RpcService {
    private final DataSyncService frontend;

    public DataSyncBackendService(String name, ServiceContext context, DataSyncService frontend) {
        super(name, context);
        this.frontend = frontend;
        commands()
                .add("authorizeSubscription", AuthorizeParams.class, this::authorizeSubscription)
                .add("publishDeltas", PublishDeltasParams.class, this::publishDeltas);
    }

    private Object authorizeSubscription(Request request, AuthorizeParams params) {
        return frontend.authorize(params.items());
    }

    private Object publishDeltas(Request request, PublishDeltasParams params) {
        frontend.publish(DeltaParser.parse(params.deltas()));
        return null;
    }
}
