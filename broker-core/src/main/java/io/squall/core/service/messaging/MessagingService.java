package io.squall.core.service.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.Client;
import io.squall.core.ServiceContext;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.error.ErrorName;
import io.squall.core.json.CodePointOrder;
import io.squall.core.rpc.NoParams;
import io.squall.core.rpc.Request;
import io.squall.core.rpc.RpcException;
import io.squall.core.rpc.RpcService;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Snorky's Messaging: person-to-person messages between registered participant names. A client may own several
 * names (up to {@code maxNamesPerClient}); a name belongs to one client; closing the connection frees its names.
 *
 * <p>On a clustered bus a name is unique across the nodes (a claim in the engine, see {@link MessagingCluster}):
 * this service keeps the names held by its own connections, and a {@code send} to a name held on another node goes
 * to that node. On the memory engine every call is answered at once, as on one node.
 */
public final class MessagingService extends RpcService {
    /** loop-owned: the names held by this node's connections (every name on the memory engine) */
    private final Map<String, Client> participants = new HashMap<>();
    private final Map<Client, Set<String>> namesByClient = new HashMap<>();
    /** clustered only: names whose claim is on its way to the engine, with the client that asked */
    private final Map<String, Client> claiming = new HashMap<>();
    private final NamePolicy policy;
    private final int maxNamesPerClient;
    /** null on the memory engine */
    private final MessagingCluster cluster;

    /** A single-node service (the memory engine). */
    public MessagingService(String name, ServiceContext context, NamePolicy policy, int maxNamesPerClient) {
        this(name, context, policy, maxNamesPerClient, null, Duration.ZERO);
    }

    /**
     * @param bus the engine's service bus; when it is clustered, names are claimed for {@code claimTtl} and
     *     refreshed every third of it, so a dead node's names free themselves
     */
    public MessagingService(String name, ServiceContext context, NamePolicy policy, int maxNamesPerClient,
            ServiceBus bus, Duration claimTtl) {
        super(name, context);
        if (maxNamesPerClient < 1) {
            throw new IllegalArgumentException("maxNamesPerClient must be positive: " + maxNamesPerClient);
        }
        this.policy = policy;
        this.maxNamesPerClient = maxNamesPerClient;
        this.cluster = bus != null && bus.clustered()
                ? new MessagingCluster(name, context, bus, claimTtl, new Local()) : null;
        commands()
                .addAsync("registerParticipant", NameParams.class, this::registerParticipant)
                .addAsync("unregisterParticipant", NameParams.class, this::unregisterParticipant)
                .addAsync("listParticipants", NoParams.class, this::listParticipants)
                .addAsync("send", SendParams.class, this::send);
    }

    private void registerParticipant(Request request, NameParams params) {
        Client client = request.client();
        String name = params.name();
        int bytes = context.budget().keyBytes(name);
        if (participants.containsKey(name) || claiming.containsKey(name)) {
            throw new RpcException(ErrorName.NAME_ALREADY_REGISTERED);
        }
        if (!policy.mayRegister(client, name)) {
            throw new RpcException(ErrorName.NAME_NOT_ALLOWED);
        }
        if (ownedOrClaiming(client) >= maxNamesPerClient) {
            throw new RpcException(ErrorName.TOO_MANY_NAMES);
        }
        context.budget().hold(client, bytes); // released when the name is unregistered or its owner leaves
        if (cluster == null) {
            add(client, name);
            request.reply(null);
            return;
        }
        claiming.put(name, client);
        cluster.claim(client, name, (taken, failure) -> {
            if (claiming.get(name) != client) {
                if (failure == null && taken) {
                    cluster.release(name, () -> {}); // the client left meanwhile (its budget with it): free it
                }
                return;
            }
            claiming.remove(name);
            if (failure != null || !taken) {
                context.budget().release(client, bytes);
                request.error(failure != null ? ErrorName.UNAVAILABLE : ErrorName.NAME_ALREADY_REGISTERED);
                return;
            }
            add(client, name);
            request.reply(null);
        });
    }

    private void unregisterParticipant(Request request, NameParams params) {
        context.budget().keyBytes(params.name());
        Client owner = participants.get(params.name());
        if (owner == null && cluster != null) {
            cluster.heldElsewhere(params.name(), (held, failure) -> request.error(failure != null
                    ? ErrorName.UNAVAILABLE : held ? ErrorName.INVALID_PARTICIPANT : ErrorName.UNKNOWN_PARTICIPANT));
            return;
        }
        if (owner == null) {
            throw new RpcException(ErrorName.UNKNOWN_PARTICIPANT);
        }
        if (owner != request.client()) {
            throw new RpcException(ErrorName.INVALID_PARTICIPANT); // nobody frees another client's name
        }
        remove(owner, params.name());
        if (cluster == null) {
            request.reply(null);
        } else {
            // answered once the engine freed it, so a register of it anywhere right after succeeds; if the engine
            // cannot be reached the name is still gone here and its claim expires
            cluster.release(params.name(), () -> request.reply(null));
        }
    }

    private void listParticipants(Request request, NoParams params) {
        if (cluster == null) {
            request.reply(sortedNames());
            return;
        }
        cluster.names((names, failure) -> {
            if (failure != null) {
                request.error(ErrorName.UNAVAILABLE);
            } else {
                request.reply(names.stream().sorted(CodePointOrder.COMPARATOR).toList());
            }
        });
    }

    private void send(Request request, SendParams params) {
        context.budget().keyBytes(params.sender());
        context.budget().keyBytes(params.dest());
        if (participants.get(params.sender()) != request.client()) {
            throw new RpcException(ErrorName.INVALID_SENDER); // unknown, or someone else's name: no impersonation
        }
        Client destination = participants.get(params.dest());
        if (destination != null) {
            deliver(destination, params.sender(), params.dest(), params.body());
            request.reply(null);
        } else if (cluster == null) {
            throw new RpcException(ErrorName.UNKNOWN_DESTINATION);
        } else {
            cluster.send(request, params);
        }
    }

    private void deliver(Client destination, String sender, String dest, JsonNode body) {
        ObjectNode message = context.codec().mapper().createObjectNode()
                .put("type", "message")
                .put("sender", sender)
                .put("dest", dest);
        message.set("body", body);
        send(destination, context.codec().encode(name(), message));
    }

    @Override
    public void onDisconnect(Client client) {
        claiming.entrySet().removeIf(entry -> {
            boolean mine = entry.getValue() == client;
            if (mine) {
                context.budget().release(client, context.budget().keyBytes(entry.getKey()));
            }
            return mine;
        });
        Set<String> owned = namesByClient.remove(client);
        if (owned != null) {
            for (String name : owned) {
                participants.remove(name);
                context.budget().release(client, context.budget().keyBytes(name));
                if (cluster != null) {
                    cluster.release(name, () -> {});
                }
            }
        }
        if (cluster != null) {
            cluster.forgetClient(client);
        }
    }

    private int ownedOrClaiming(Client client) {
        Set<String> owned = namesByClient.get(client);
        int count = owned == null ? 0 : owned.size();
        if (cluster != null) {
            for (Client pending : claiming.values()) {
                count += pending == client ? 1 : 0;
            }
        }
        return count;
    }

    private void add(Client client, String name) {
        participants.put(name, client);
        namesByClient.computeIfAbsent(client, c -> new LinkedHashSet<>()).add(name);
    }

    private void remove(Client owner, String name) {
        participants.remove(name);
        context.budget().release(owner, context.budget().keyBytes(name));
        Set<String> owned = namesByClient.get(owner);
        owned.remove(name);
        if (owned.isEmpty()) {
            namesByClient.remove(owner);
        }
    }

    /** What the cluster side may do to this node's names. */
    private final class Local implements MessagingCluster.Local {
        @Override
        public Client holder(String name) {
            return participants.get(name);
        }

        @Override
        public void deliver(String sender, String dest, JsonNode body) {
            MessagingService.this.deliver(participants.get(dest), sender, dest, body);
        }

        @Override
        public void lost(String name) {
            Client owner = participants.get(name);
            if (owner == null) {
                return;
            }
            remove(owner, name);
            ObjectNode message = context.codec().mapper().createObjectNode()
                    .put("type", "participantLost")
                    .put("name", name);
            send(owner, context.codec().encode(name(), message));
        }
    }

    /** The names held by this node's connections (every name on the memory engine), in code point order. */
    public List<String> sortedNames() {
        return participants.keySet().stream().sorted(CodePointOrder.COMPARATOR).toList();
    }

    /** Number of names held by this node's connections. */
    public int participantCount() {
        return participants.size();
    }

    /** Number of this node's clients owning at least one name. */
    public int clientCount() {
        return namesByClient.size();
    }
}
