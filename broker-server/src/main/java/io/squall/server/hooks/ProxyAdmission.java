package io.squall.server.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.Client;
import io.squall.core.ServiceRegistry;
import io.squall.core.rpc.CommandAdmission;
import io.squall.core.rpc.Request;
import io.squall.core.service.pubsub.ChannelPattern;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Puts the application's subscribe proxy (and, for PubSub, its publish proxy) before one service's commands: the
 * subscribe-like step of each service (PubSub {@code subscribe}, Chat and Cursors {@code join}, DataSync
 * {@code acquireSubscription}) and PubSub's {@code publish}, on the channels their patterns match. The proxy is asked
 * once the params are valid and before the service's own checks, which still apply when it allows. Loop only.
 */
final class ProxyAdmission implements CommandAdmission {

    /**
     * One command the application decides.
     *
     * @param command the command's name
     * @param channelParam the param holding its channel (document, token)
     * @param dataParam for publish: the param holding the data the application may replace; else null
     */
    record Step(String command, String channelParam, String dataParam, ProxyCaller caller,
            List<ChannelPattern> channels) {}

    private final String serviceKind;
    private final ServiceRegistry registry;
    private final ConnectionIds ids;
    private final Map<String, Step> steps;

    /** @param serviceKind what the proxy calls name the service: pubsub, chat, cursors or datasync */
    ProxyAdmission(String serviceKind, ServiceRegistry registry, ConnectionIds ids, List<Step> steps) {
        this.serviceKind = serviceKind;
        this.registry = registry;
        this.ids = ids;
        this.steps = steps.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(Step::command, s -> s));
    }

    @Override
    public boolean covers(Client client, String command, JsonNode params) {
        Step step = steps.get(command);
        if (step == null) {
            return false;
        }
        if (step.channels().isEmpty()) {
            return true;
        }
        JsonNode channel = params.path(step.channelParam());
        var identity = ChannelPattern.identityText(client.identity());
        for (ChannelPattern pattern : step.channels()) {
            if (pattern.matches(channel, identity)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void admit(Request request, JsonNode params, Consumer<JsonNode> admitted) {
        Step step = steps.get(request.command());
        Client client = request.client();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("client", ids.of(client));
        body.set("identity", client.identity().orElse(NullNode.getInstance()));
        body.put("service", serviceKind);
        body.set("channel", params.get(step.channelParam()));
        if (step.dataParam() != null) {
            body.set("data", params.get(step.dataParam()));
        } else {
            body.set("params", params);
        }
        step.caller().call(body, PassedHeaders.of(client), answer -> {
            if (!registry.clients().contains(client)) {
                return; // it left while the application thought: nothing was held for it, nothing to answer
            }
            switch (answer) {
                case ProxyAnswer.Result result -> admitted.accept(replaced(step, params, result.result()));
                case ProxyAnswer.Refused refused -> request.refuse(refused.name());
                case ProxyAnswer.Disconnect disconnect -> client.close(disconnect.code(), disconnect.reason());
                case ProxyAnswer.Failed failed -> request.error(failed.error());
            }
        });
    }

    /** The params the command runs with: for publish, the application's {@code data} when it gave one. */
    private static JsonNode replaced(Step step, JsonNode params, JsonNode result) {
        JsonNode data = step.dataParam() == null ? null : result.get("data");
        if (data == null) {
            return params;
        }
        ObjectNode copy = ((ObjectNode) params).deepCopy();
        copy.set(step.dataParam(), data);
        return copy;
    }
}
