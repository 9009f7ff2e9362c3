package io.squall.core.service.datasync;

import io.squall.core.ServiceContext;
import io.squall.core.rpc.Request;
import io.squall.core.rpc.RpcService;

/**
 * The private registry's half of DataSync (Snorky's DataSyncBackend): the web app authorizes subscriptions,
 * getting tokens to hand to its browsers, and publishes deltas as its data changes. Both answer at once on the
 * memory engine, and once the engine has taken the token or the deltas on a clustered one.
 */
public final class DataSyncBackendService extends RpcService {
    private final DataSyncService frontend;

    public DataSyncBackendService(String name, ServiceContext context, DataSyncService frontend) {
        super(name, context);
        this.frontend = frontend;
        commands()
                .addAsync("authorizeSubscription", AuthorizeParams.class, this::authorizeSubscription)
                .addAsync("publishDeltas", PublishDeltasParams.class, this::publishDeltas);
    }

    private void authorizeSubscription(Request request, AuthorizeParams params) {
        frontend.authorize(request, params.items());
    }

    private void publishDeltas(Request request, PublishDeltasParams params) {
        frontend.publish(request, DeltaParser.parse(params.deltas()));
    }
}
