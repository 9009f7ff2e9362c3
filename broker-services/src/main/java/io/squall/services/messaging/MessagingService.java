package io.squall.services.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.api.Call;
import io.squall.api.Caller;
import io.squall.api.NoParams;
import io.squall.api.ServiceError;
import io.squall.api.ServiceException;
import io.squall.api.ServiceSetup;
import io.squall.api.SquallService;
import io.squall.services.support.CodePointOrder;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Snorky's Messaging: person-to-person messages between registered participant names. A client may own several
 * names (up to {@code maxNamesPerClient}); a name belongs to one client; closing the connection frees its names.
 * Written against the public service API only, as any user's service is.
 *
 * <p>On a clustered engine a name is unique across the nodes (a claim, see {@link MessagingCluster}): this service
 * keeps the names held by its own connections, and a {@code send} to a name held on another node goes to that node.
 * On the memory engine every call is answered at once, as on one node.
 */
public final class MessagingService implements SquallService {
    private final String name;
    private final NamePolicy policy;
    private final int maxNamesPerClient;
    private final Duration claimTtl;
    /** loop-owned: the names held by this node's connections (every name on the memory engine) */
    private final Map<String, Caller> participants = new HashMap<>();
    private final Map<Caller, Set<String>> namesByClient = new HashMap<>();
    /** clustered only: names whose claim is on its way to the engine, with the client that asked */
    private final Map<String, Caller> claiming = new HashMap<>();
    private ObjectMapper json;
    /** null on the memory engine */
    private MessagingCluster cluster;

    /**
     * @param claimTtl on a clustered engine, how long a name's claim lives unless refreshed (every third of it), so
     *     a dead node's names free themselves; at least 3 s
     */
    public MessagingService(String name, NamePolicy policy, int maxNamesPerClient, Duration claimTtl) {
        if (maxNamesPerClient < 1) {
            throw new IllegalArgumentException("maxNamesPerClient must be positive: " + maxNamesPerClient);
        }
        this.name = name;
        this.policy = policy;
        this.maxNamesPerClient = maxNamesPerClient;
        this.claimTtl = claimTtl;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void setUp(ServiceSetup setup) {
        json = setup.json();
        if (setup.cluster().clustered()) {
            cluster = new MessagingCluster(name, setup.cluster(), setup.loop(), json, claimTtl, new Local());
        }
        setup.asyncCommand("registerParticipant", NameParams.class, this::registerParticipant)
                .asyncCommand("unregisterParticipant", NameParams.class, this::unregisterParticipant)
                .asyncCommand("listParticipants", NoParams.class, this::listParticipants)
                .asyncCommand("send", SendParams.class, this::send);
    }

    private void registerParticipant(Call call, NameParams params) {
        Caller client = call.caller();
        String participant = params.name();
        client.checkKey(participant);
        if (participants.containsKey(participant) || claiming.containsKey(participant)) {
            throw new ServiceException(ServiceError.NAME_ALREADY_REGISTERED);
        }
        if (!policy.mayRegister(client, participant)) {
            throw new ServiceException(ServiceError.NAME_NOT_ALLOWED);
        }
        if (ownedOrClaiming(client) >= maxNamesPerClient) {
            throw new ServiceException(ServiceError.TOO_MANY_NAMES);
        }
        client.hold(participant); // released when the name is unregistered or lost; let go when the client leaves
        if (cluster == null) {
            add(client, participant);
            call.reply(null);
            return;
        }
        claiming.put(participant, client);
        cluster.claim(client, participant, (taken, failure) -> {
            if (!client.equals(claiming.get(participant))) {
                if (failure == null && taken) {
                    cluster.release(participant, () -> {}); // the client left meanwhile: free it
                }
                return;
            }
            claiming.remove(participant);
            if (failure != null || !taken) {
                client.release(participant);
                call.fail(failure != null ? failure : ServiceError.NAME_ALREADY_REGISTERED);
                return;
            }
            add(client, participant);
            call.reply(null);
        });
    }

    private void unregisterParticipant(Call call, NameParams params) {
        call.caller().checkKey(params.name());
        Caller owner = participants.get(params.name());
        if (owner == null && cluster != null) {
            cluster.heldElsewhere(params.name(), (held, failure) -> call.fail(failure != null ? failure
                    : held ? ServiceError.INVALID_PARTICIPANT : ServiceError.UNKNOWN_PARTICIPANT));
            return;
        }
        if (owner == null) {
            throw new ServiceException(ServiceError.UNKNOWN_PARTICIPANT);
        }
        if (!owner.equals(call.caller())) {
            throw new ServiceException(ServiceError.INVALID_PARTICIPANT); // nobody frees another client's name
        }
        remove(owner, params.name());
        if (cluster == null) {
            call.reply(null);
        } else {
            // answered once the engine freed it, so a register of it anywhere right after succeeds; if the engine
            // cannot be reached the name is still gone here and its claim expires
            cluster.release(params.name(), () -> call.reply(null));
        }
    }

    private void listParticipants(Call call, NoParams params) {
        if (cluster == null) {
            call.reply(sortedNames());
            return;
        }
        cluster.names((names, failure) -> {
            if (failure != null) {
                call.fail(failure);
            } else {
                call.reply(names.stream().sorted(CodePointOrder.COMPARATOR).toList());
            }
        });
    }

    private void send(Call call, SendParams params) {
        call.caller().checkKey(params.sender());
        call.caller().checkKey(params.dest());
        if (!call.caller().equals(participants.get(params.sender()))) {
            throw new ServiceException(ServiceError.INVALID_SENDER); // unknown, or someone else's: no impersonation
        }
        Caller destination = participants.get(params.dest());
        if (destination != null) {
            deliver(destination, params.sender(), params.dest(), params.body());
            call.reply(null);
        } else if (cluster == null) {
            throw new ServiceException(ServiceError.UNKNOWN_DESTINATION);
        } else {
            cluster.send(call, params);
        }
    }

    private void deliver(Caller destination, String sender, String dest, JsonNode body) {
        ObjectNode message = json.createObjectNode()
                .put("type", "message")
                .put("sender", sender)
                .put("dest", dest);
        message.set("body", body);
        destination.notify(message);
    }

    /** The names and claims of a client that left; its budget is let go by the broker after this. */
    @Override
    public void onDisconnect(Caller caller) {
        claiming.values().removeIf(caller::equals);
        Set<String> owned = namesByClient.remove(caller);
        if (owned != null) {
            for (String participant : owned) {
                participants.remove(participant);
                if (cluster != null) {
                    cluster.release(participant, () -> {});
                }
            }
        }
        if (cluster != null) {
            cluster.forgetClient(caller);
        }
    }

    private int ownedOrClaiming(Caller client) {
        Set<String> owned = namesByClient.get(client);
        int count = owned == null ? 0 : owned.size();
        for (Caller pending : claiming.values()) {
            count += pending.equals(client) ? 1 : 0;
        }
        return count;
    }

    private void add(Caller client, String participant) {
        participants.put(participant, client);
        namesByClient.computeIfAbsent(client, c -> new LinkedHashSet<>()).add(participant);
    }

    private void remove(Caller owner, String participant) {
        participants.remove(participant);
        owner.release(participant);
        Set<String> owned = namesByClient.get(owner);
        owned.remove(participant);
        if (owned.isEmpty()) {
            namesByClient.remove(owner);
        }
    }

    /** What the cluster side may do to this node's names. */
    private final class Local implements MessagingCluster.Local {
        @Override
        public Caller holder(String participant) {
            return participants.get(participant);
        }

        @Override
        public void deliver(String sender, String dest, JsonNode body) {
            MessagingService.this.deliver(participants.get(dest), sender, dest, body);
        }

        @Override
        public void lost(String participant) {
            Caller owner = participants.get(participant);
            if (owner == null) {
                return;
            }
            remove(owner, participant);
            owner.notify(json.createObjectNode().put("type", "participantLost").put("name", participant));
        }
    }

    /** The names held by this node's connections (every name on the memory engine), in code point order. */
    public List<String> sortedNames() {
        return participants.keySet().stream().sorted(CodePointOrder.COMPARATOR).toList();
    }

    /** Number of names held by this node's connections. Loop thread. */
    public int participantCount() {
        return participants.size();
    }

    /** Number of this node's clients owning at least one name. Loop thread. */
    public int clientCount() {
        return namesByClient.size();
    }
}
