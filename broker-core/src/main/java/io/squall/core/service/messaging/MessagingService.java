package io.squall.core.service.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.Client;
import io.squall.core.ServiceContext;
import io.squall.core.error.ErrorName;
import io.squall.core.json.CodePointOrder;
import io.squall.core.rpc.NoParams;
import io.squall.core.rpc.Request;
import io.squall.core.rpc.RpcException;
import io.squall.core.rpc.RpcService;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Snorky's Messaging: person-to-person messages between registered participant names. A client may own several
 * names (up to {@code maxNamesPerClient}); a name belongs to one client; closing the connection frees its names.
 */
public final class MessagingService extends RpcService {
    private final Map<String, Client> participants = new HashMap<>();
    private final Map<Client, Set<String>> namesByClient = new HashMap<>();
    private final NamePolicy policy;
    private final int maxNamesPerClient;

    public MessagingService(String name, ServiceContext context, NamePolicy policy, int maxNamesPerClient) {
        super(name, context);
        if (maxNamesPerClient < 1) {
            throw new IllegalArgumentException("maxNamesPerClient must be positive: " + maxNamesPerClient);
        }
        this.policy = policy;
        this.maxNamesPerClient = maxNamesPerClient;
        commands()
                .add("registerParticipant", NameParams.class, this::registerParticipant)
                .add("unregisterParticipant", NameParams.class, this::unregisterParticipant)
                .add("listParticipants", NoParams.class, this::listParticipants)
                .add("send", SendParams.class, this::send);
    }

    private Object registerParticipant(Request request, NameParams params) {
        Client client = request.client();
        int bytes = context.budget().keyBytes(params.name());
        if (participants.containsKey(params.name())) {
            throw new RpcException(ErrorName.NAME_ALREADY_REGISTERED);
        }
        if (!policy.mayRegister(client, params.name())) {
            throw new RpcException(ErrorName.NAME_NOT_ALLOWED);
        }
        Set<String> owned = namesByClient.get(client);
        if (owned != null && owned.size() >= maxNamesPerClient) {
            throw new RpcException(ErrorName.TOO_MANY_NAMES);
        }
        context.budget().hold(client, bytes); // released when the name is unregistered or its owner leaves
        participants.put(params.name(), client);
        namesByClient.computeIfAbsent(client, c -> new LinkedHashSet<>()).add(params.name());
        return null;
    }

    private Object unregisterParticipant(Request request, NameParams params) {
        int bytes = context.budget().keyBytes(params.name());
        Client owner = participants.get(params.name());
        if (owner == null) {
            throw new RpcException(ErrorName.UNKNOWN_PARTICIPANT);
        }
        if (owner != request.client()) {
            throw new RpcException(ErrorName.INVALID_PARTICIPANT); // nobody frees another client's name
        }
        participants.remove(params.name());
        context.budget().release(owner, bytes);
        Set<String> owned = namesByClient.get(owner);
        owned.remove(params.name());
        if (owned.isEmpty()) {
            namesByClient.remove(owner);
        }
        return null;
    }

    private Object listParticipants(Request request, NoParams params) {
        return sortedNames();
    }

    private Object send(Request request, SendParams params) {
        context.budget().keyBytes(params.sender());
        context.budget().keyBytes(params.dest());
        if (participants.get(params.sender()) != request.client()) {
            throw new RpcException(ErrorName.INVALID_SENDER); // unknown, or someone else's name: no impersonation
        }
        Client destination = participants.get(params.dest());
        if (destination == null) {
            throw new RpcException(ErrorName.UNKNOWN_DESTINATION);
        }
        ObjectNode message = context.codec().mapper().createObjectNode()
                .put("type", "message")
                .put("sender", params.sender())
                .put("dest", params.dest());
        message.set("body", params.body());
        send(destination, context.codec().encode(name(), message));
        return null;
    }

    @Override
    public void onDisconnect(Client client) {
        Set<String> owned = namesByClient.remove(client);
        if (owned != null) {
            for (String name : owned) {
                participants.remove(name);
                context.budget().release(client, context.budget().keyBytes(name));
            }
        }
    }

    /** The registered names in code point order, as Python's {@code sorted} gives them. */
    public List<String> sortedNames() {
        return participants.keySet().stream().sorted(CodePointOrder.COMPARATOR).toList();
    }

    /** Number of registered names. */
    public int participantCount() {
        return participants.size();
    }

    /** Number of clients owning at least one name. */
    public int clientCount() {
        return namesByClient.size();
    }
}
