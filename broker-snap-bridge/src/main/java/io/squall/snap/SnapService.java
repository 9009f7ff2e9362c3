package io.squall.snap;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.api.Call;
import io.squall.api.NoParams;
import io.squall.api.ServiceSetup;
import io.squall.api.SquallService;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Host to node RPC, SNAPconnect's {@code rpc} and {@code mcastRpc}, plus the node directory ({@code nodes}) and
 * link state ({@code link}). A call is answered once its frame was handed to the serial port (SNAPconnect's
 * {@code HOOK_RPC_SENT}: handed over, not delivered; SNAP has no end-to-end acknowledgement), with
 * {@code {"seq":n}}. In the private registry every function may be called; a public instance allows only the
 * functions listed in {@code snap.public.functions}. On several nodes a call is checked where it arrives and, when
 * another node runs the port, carried there and answered from there ({@link SnapRoute}). Written against the
 * public service API, as any service.
 */
public final class SnapService implements SquallService {
    private final String name;
    private final Function<ServiceSetup, SnapCluster> bridge;
    private final Set<String> allowed;
    private SnapCluster cluster;
    private ObjectMapper mapper;

    /**
     * @param bridge the bridge this service calls, given the service's setup (its instances share one)
     * @param allowed the functions callers may call, or null for any (the trusted backend)
     */
    SnapService(String name, Function<ServiceSetup, SnapCluster> bridge, Set<String> allowed) {
        this.name = name;
        this.bridge = bridge;
        this.allowed = allowed == null ? null : Set.copyOf(allowed);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void setUp(ServiceSetup setup) {
        cluster = bridge.apply(setup);
        mapper = setup.json();
        SnapCalls calls = cluster.calls();
        setup.asyncCommand("rpc", RpcParams.class, (call, params) -> {
            SnapCalls.check(params, allowed);
            run(call, params, reply -> calls.rpc(params, reply));
        }).asyncCommand("mcastRpc", McastRpcParams.class, (call, params) -> {
            SnapCalls.check(params, allowed);
            run(call, params, reply -> calls.mcastRpc(params, reply));
        }).asyncCommand("nodes", NoParams.class, (call, params) ->
                run(call, params, reply -> reply.done(calls.nodes(), null))
        ).asyncCommand("link", NoParams.class, (call, params) ->
                run(call, params, reply -> reply.done(calls.link(), null)));
    }

    private void run(Call call, Object params, Consumer<SnapCalls.Reply> here) {
        SnapCalls.Reply reply = (data, error) -> {
            if (call.isDone()) {
                return;
            }
            if (error != null) {
                call.fail(error);
            } else {
                call.reply(data);
            }
        };
        if (cluster.local()) {
            here.accept(reply); // a ServiceException thrown here is the call's error
        } else {
            cluster.forward(call.command(), mapper.valueToTree(params), reply);
        }
    }

    /** Closes the bridge with the broker (the first of its services to stop does; the rest find it closed). */
    @Override
    public void onStop() {
        cluster.close();
    }
}
