package io.squall.core.service.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.Client;
import io.squall.core.Identity;
import io.squall.core.ServiceContext;
import io.squall.core.error.ErrorName;
import io.squall.api.TwoWayIndex;
import io.squall.api.JsonKey;
import io.squall.core.lifecycle.LifecycleEvents;
import io.squall.core.protocol.EncodedMessage;
import io.squall.core.rpc.Request;
import io.squall.core.rpc.RpcException;
import io.squall.core.rpc.RpcService;
import io.squall.core.cluster.ServiceBus;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Snorky's Chat: presence-aware rooms for authenticated identities, several devices per identity. Presence
 * {@code joined} goes out only for an identity's first device in a channel and {@code left} only when its last
 * device leaves; {@code read} receipts go to the identity's other devices. Closing a connection leaves every
 * channel it joined.
 */
public final class ChatService extends RpcService {
    /** Channel to member connections. */
    private final TwoWayIndex<JsonKey, Client> members = new TwoWayIndex<>();
    /** (channel, identity) to that identity's connections in the channel. */
    private final TwoWayIndex<Seat, Client> devices = new TwoWayIndex<>();
    /** Channel to the identities present in it. */
    private final TwoWayIndex<JsonKey, JsonKey> identities = new TwoWayIndex<>();
    private final Timestamps timestamps;
    private final int maxChannelsPerClient;
    /** null on one node (the memory engine): the state above is then the whole truth */
    private final ChatCluster cluster;
    private LifecycleEvents lifecycle = LifecycleEvents.NONE;

    /** Chat on one node (the memory engine). */
    public ChatService(String name, ServiceContext context, int maxChannelsPerClient) {
        this(name, context, maxChannelsPerClient, null, Duration.ZERO);
    }

    /**
     * Chat on the engine's services bus: on the memory engine ({@code bus.clustered()} false) exactly the one-node
     * Chat; on Redis, members and messages span the nodes.
     *
     * @param presenceRefresh how often this node refreshes its members' presence entries (a third of their TTL)
     */
    public ChatService(String name, ServiceContext context, int maxChannelsPerClient, ServiceBus bus,
            Duration presenceRefresh) {
        super(name, context);
        if (maxChannelsPerClient < 1) {
            throw new IllegalArgumentException("maxChannelsPerClient must be positive: " + maxChannelsPerClient);
        }
        this.timestamps = new Timestamps(context.clock());
        this.maxChannelsPerClient = maxChannelsPerClient;
        if (bus != null && bus.clustered()) {
            this.cluster = new ChatCluster(this, context, bus, maxChannelsPerClient, presenceRefresh);
            commands() // answered once the change came back from the bus (or the bus failed)
                    .addAsync("join", ChannelParams.class, cluster::join)
                    .addAsync("leave", ChannelParams.class, cluster::leave)
                    .addAsync("send", SendParams.class, cluster::send)
                    .addAsync("read", ChannelParams.class, cluster::read);
        } else {
            this.cluster = null;
            commands()
                    .add("join", ChannelParams.class, this::join)
                    .add("leave", ChannelParams.class, this::leave)
                    .add("send", SendParams.class, this::send)
                    .add("read", ChannelParams.class, this::read);
        }
    }

    private Object join(Request request, ChannelParams params) {
        Client client = request.client();
        JsonNode identity = Identity.require(client);
        JsonKey channel = context.budget().key(params.channel());
        if (members.contains(channel, client)) {
            throw new RpcException(ErrorName.ALREADY_JOINED);
        }
        if (members.countKeysOf(client) >= maxChannelsPerClient) {
            throw new RpcException(ErrorName.TOO_MANY_CHANNELS);
        }
        context.budget().hold(client, channel.byteSize()); // released by leave, or the disconnect's leaves
        JsonKey who = JsonKey.of(identity);
        if (!identities.contains(channel, who)) {
            sendPresence(channel, identity, "joined"); // to the members already there; this device is not yet one
            identities.add(channel, who);
        }
        members.add(channel, client);
        devices.add(new Seat(channel, who), client);
        lifecycle.subscribed(name(), channel, client); // a member: the channel's subscriber for the webhooks
        return membersReply(identities.valuesOf(channel));
    }

    /** {@code {"members": [identity...]}}: the join's answer. */
    ObjectNode membersReply(Collection<JsonKey> present) {
        ArrayNode list = context.codec().mapper().createArrayNode();
        present.forEach(member -> list.add(member.value()));
        ObjectNode reply = context.codec().mapper().createObjectNode();
        reply.set("members", list);
        return reply;
    }

    private Object leave(Request request, ChannelParams params) {
        JsonKey channel = context.budget().key(params.channel());
        if (!members.contains(channel, request.client())) {
            throw new RpcException(ErrorName.NOT_JOINED);
        }
        leave(request.client(), channel);
        return null;
    }

    private Object send(Request request, SendParams params) {
        JsonKey channel = context.budget().key(params.channel());
        Optional<Seat> seat = seatOf(request.client(), channel);
        if (seat.isEmpty()) {
            throw new RpcException(ErrorName.NOT_JOINED);
        }
        ObjectNode message = context.codec().mapper().createObjectNode().put("type", "message");
        message.set("from", seat.get().identity().value());
        message.set("channel", params.channel());
        message.set("body", params.body());
        message.put("timestamp", timestamps.now());
        fanOut(members.valuesOf(channel), context.codec().encode(name(), message));
        return null;
    }

    /** Snorky's read receipt: no joined check; the caller's other devices in the channel are told, nobody else. */
    private Object read(Request request, ChannelParams params) {
        Optional<JsonNode> identity = request.client().identity();
        if (identity.isEmpty()) {
            return null; // an anonymous connection has no other devices
        }
        List<Client> others = devices.valuesOf(new Seat(context.budget().key(params.channel()),
                        JsonKey.of(identity.get())))
                .stream().filter(device -> device != request.client()).toList();
        if (!others.isEmpty()) {
            ObjectNode message = context.codec().mapper().createObjectNode().put("type", "read");
            message.set("channel", params.channel());
            message.put("timestamp", timestamps.now());
            fanOut(others, context.codec().encode(name(), message));
        }
        return null;
    }

    @Override
    public void onDisconnect(Client client) {
        if (cluster != null) {
            cluster.onDisconnect(client);
            return;
        }
        for (JsonKey channel : List.copyOf(members.keysOf(client))) {
            leave(client, channel);
        }
    }

    private void leave(Client client, JsonKey channel) {
        Seat seat = seatOf(client, channel).orElseThrow();
        members.remove(channel, client);
        context.budget().release(client, channel.byteSize());
        devices.remove(seat, client);
        lifecycle.unsubscribed(name(), channel, client);
        if (devices.countValuesOf(seat) == 0) {
            identities.remove(channel, seat.identity()); // the identity's last device: it is gone from the room
            sendPresence(channel, seat.identity().value(), "left");
        }
    }

    /** Who hears of members coming and going (the webhooks): a member is a subscriber of its channel. Loop only. */
    public void lifecycle(LifecycleEvents events) {
        this.lifecycle = events;
    }

    LifecycleEvents lifecycle() {
        return lifecycle;
    }

    /** The seat {@code client} took in {@code channel}: the identity it joined with. */
    private Optional<Seat> seatOf(Client client, JsonKey channel) {
        return devices.keysOf(client).stream().filter(seat -> seat.channel().equals(channel)).findFirst();
    }

    private void sendPresence(JsonKey channel, JsonNode identity, String status) {
        presence(members.valuesOf(channel), channel.value(), identity, status);
    }

    /** Tells {@code recipients} that {@code identity} came to or left {@code channel}. */
    void presence(Collection<Client> recipients, JsonNode channel, JsonNode identity, String status) {
        if (recipients.isEmpty()) {
            return;
        }
        ObjectNode presence = context.codec().mapper().createObjectNode().put("type", "presence");
        presence.set("from", identity);
        presence.set("channel", channel);
        presence.put("status", status);
        presence.put("timestamp", timestamps.now());
        fanOut(recipients, context.codec().encode(name(), presence));
    }

    /** Sends {@code message}, encoded once, to each of {@code recipients}. */
    void deliver(Collection<Client> recipients, ObjectNode message) {
        if (!recipients.isEmpty()) {
            fanOut(recipients, context.codec().encode(name(), message));
        }
    }

    ObjectNode object() {
        return context.codec().mapper().createObjectNode();
    }

    String timestamp() {
        return timestamps.now();
    }

    ServiceContext context() {
        return context;
    }

    private void fanOut(Iterable<Client> recipients, EncodedMessage frame) {
        for (Client recipient : recipients) {
            send(recipient, frame);
        }
    }

    /** How many entries each internal map holds: all zero once every client has gone (the leak check). */
    public Map<String, Integer> stateSizes() {
        if (cluster != null) {
            return cluster.stateSizes();
        }
        return Map.of("channels", members.keyCount(), "clients", members.valueCount(),
                "seats", devices.keyCount(), "identities", identities.valueCount());
    }
}
