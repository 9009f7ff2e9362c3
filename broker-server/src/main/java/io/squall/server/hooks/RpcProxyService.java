package io.squall.server.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.Client;
import io.squall.core.Service;
import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.error.ErrorName;
import io.squall.core.protocol.EncodedMessage;
import io.squall.core.protocol.ProtocolCodec;

/**
 * The public service {@code proxy.rpc.service}: every command {@code {"command","params","callId"}} goes to the
 * application's rpc proxy and its {@code result.data} comes back as the reply; its {@code error} as the error name;
 * its {@code disconnect} closes the connection. The broker checks only the shape (a string command, object params,
 * a call id within {@code max.key.bytes}); the application decides the rest. Loop only.
 */
final class RpcProxyService implements Service {
    private final String name;
    private final ServiceContext context;
    private final ServiceRegistry registry;
    private final ConnectionIds ids;
    private final ProxyCaller caller;

    RpcProxyService(String name, ServiceContext context, ServiceRegistry registry, ConnectionIds ids,
            ProxyCaller caller) {
        this.name = name;
        this.context = context;
        this.registry = registry;
        this.ids = ids;
        this.caller = caller;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void onMessage(Client client, JsonNode message) {
        JsonNode callId = ProtocolCodec.callIdOf(message);
        JsonNode command = message.isObject() ? message.get("command") : null;
        if (command == null || !command.isTextual() || (callId != null && !context.budget().fitsKey(callId))) {
            error(client, callId, ErrorName.INVALID_MESSAGE);
            return;
        }
        JsonNode params = message.get("params");
        if (params == null || !params.isObject()) {
            error(client, callId, ErrorName.INVALID_PARAMS);
            return;
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("client", ids.of(client));
        body.set("identity", client.identity().orElse(NullNode.getInstance()));
        body.put("service", name);
        body.put("command", command.textValue());
        body.set("params", params);
        caller.call(body, PassedHeaders.of(client), answer -> {
            if (!registry.clients().contains(client)) {
                return;
            }
            switch (answer) {
                case ProxyAnswer.Result result -> send(client, context.codec().response(name, callId,
                        result.result().path("data").isMissingNode() ? NullNode.getInstance()
                                : result.result().get("data")));
                case ProxyAnswer.Refused refused -> {
                    context.metrics().rpcErrors(name, "refused").increment();
                    send(client, context.codec().error(name, callId, refused.name()));
                }
                case ProxyAnswer.Disconnect disconnect -> client.close(disconnect.code(), disconnect.reason());
                case ProxyAnswer.Failed failed -> error(client, callId, failed.error());
            }
        });
    }

    private void error(Client client, JsonNode callId, ErrorName error) {
        context.metrics().rpcErrors(name, error.wireName()).increment();
        send(client, context.codec().error(name, callId, error));
    }

    private void send(Client client, EncodedMessage message) {
        context.metrics().messagesOut(name).increment();
        client.send(message);
    }
}
