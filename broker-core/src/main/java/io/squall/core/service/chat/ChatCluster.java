package io.squall.core.service.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.Client;
import io.squall.core.Identity;
import io.squall.core.ServiceContext;
import io.squall.core.broker.Epochs;
import io.squall.core.broker.PresenceInfo;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.error.ErrorName;
import io.squall.api.JsonKey;
import io.squall.core.loop.OnDemandTimer;
import io.squall.core.rpc.Request;
import io.squall.core.rpc.RpcException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chat on the Redis engine: every change is published on the channel's bus topic and applied when it comes back, on
 * every node in the bus's order, so every node decides {@code joined}/{@code left} (an identity's first and last
 * device across all nodes) the same way and delivers messages in the same order. Each device is also a presence
 * entry of the channel's topic (refreshed by its node), the snapshot a node reads when its first member joins.
 */
final class ChatCluster {
    private static final Logger log = LoggerFactory.getLogger(ChatCluster.class);

    private final ChatService chat;
    private final ServiceContext context;
    private final ServiceBus bus;
    private final int maxChannels;
    private final Duration patience;
    /** this process's part of device ids: a node restarted under the same id makes new ones */
    private final String devicePrefix;
    private final JsonKey nodesTopic;
    private long nextDevice;
    /** the channels with members (or joins in flight) on this node */
    private final Map<JsonKey, Room> rooms = new HashMap<>();
    /** this node's memberships (joined, or join in flight) by connection, then channel */
    private final Map<Client, Map<JsonKey, Membership>> byClient = new HashMap<>();
    private final Map<String, Membership> joining = new HashMap<>();
    private final OnDemandTimer refresh;
    final RoomEvents events;

    ChatCluster(ChatService chat, ServiceContext context, ServiceBus bus, int maxChannels, Duration refreshInterval) {
        this.chat = chat;
        this.context = context;
        this.bus = bus;
        this.maxChannels = maxChannels;
        this.patience = refreshInterval.multipliedBy(3);
        this.devicePrefix = bus.nodeId() + "/" + Epochs.next() + "/";
        this.nodesTopic = topic(chat.name(), null);
        this.refresh = new OnDemandTimer(context.loop(), refreshInterval, this::refreshAll);
        this.events = new RoomEvents(chat, this, bus, devicePrefix);
        bus.onNodeDown(events::nodeDown);
        bus.onResync(this::resync);
        context.loop().execute(() -> bus.subscribe(nodesTopic, events::nodeEvent, (ok, failure) -> {
            // a node restarted under the same id: the others drop what its previous process held
            ObjectNode started = chat.object().put("op", "start").put("node", bus.nodeId())
                    .put("prefix", devicePrefix);
            bus.publish(nodesTopic, started, this::logFailure);
        }));
    }

    /** {@code ["chat", channel]}: the service's name first, so no other service's topic can collide. */
    static JsonKey topic(String service, JsonNode channel) {
        ArrayNode key = JsonNodeFactory.instance.arrayNode().add(service);
        if (channel != null) {
            key.add(channel);
        }
        return JsonKey.of(key);
    }

    Duration patience() {
        return patience;
    }

    Map<JsonKey, Room> rooms() {
        return rooms;
    }

    void join(Request request, ChannelParams params) {
        Client client = request.client();
        JsonKey identity = JsonKey.of(Identity.require(client));
        JsonKey channel = context.budget().key(params.channel());
        Map<JsonKey, Membership> mine = byClient.getOrDefault(client, Map.of());
        if (mine.containsKey(channel)) {
            throw new RpcException(ErrorName.ALREADY_JOINED);
        }
        if (mine.size() >= maxChannels) {
            throw new RpcException(ErrorName.TOO_MANY_CHANNELS);
        }
        context.budget().hold(client, channel.byteSize()); // released by leave, or the disconnect's leaves
        Room known = rooms.get(channel);
        Room room = known != null ? known : open(channel);
        Membership member = new Membership(client, room, identity, devicePrefix + (++nextDevice), request);
        byClient.computeIfAbsent(client, c -> new LinkedHashMap<>()).put(channel, member);
        room.pending++;
        joining.put(member.device, member);
        whenReady(room, failure -> {
            if (failure != null) {
                failJoin(member);
                return;
            }
            if (member.cancelled) {
                forgetJoin(member);
                return;
            }
            // presence first: a node reading the snapshot after this event was published must find the device
            bus.presence().add(room.topic, presenceOf(member), (ok, added) -> {
                if (added != null || member.cancelled) {
                    bus.presence().remove(room.topic, member.device, this::logFailure);
                    failOrForget(member);
                    return;
                }
                ObjectNode event = chat.object().put("op", "join").put("device", member.device)
                        .put("node", bus.nodeId());
                event.set("identity", identity.value());
                bus.publish(room.topic, event, (done, failure2) -> {
                    if (failure2 != null) {
                        bus.presence().remove(room.topic, member.device, this::logFailure);
                        failOrForget(member);
                    } else {
                        member.announced = true;
                        member.patience = context.loop().schedule(patience, () -> admitted(member));
                    }
                });
            });
        });
    }

    private void failOrForget(Membership member) {
        if (member.cancelled) {
            forgetJoin(member);
            return;
        }
        failJoin(member);
    }

    /** The join could not be announced: the connection is not a member, and is told so. */
    private void failJoin(Membership member) {
        Request request = member.join;
        forgetJoin(member);
        dropMembership(member);
        if (request != null) {
            request.error(ErrorName.UNAVAILABLE);
        }
    }

    private void forgetJoin(Membership member) {
        if (joining.remove(member.device) != null) {
            member.room.pending--;
            closeIfUnused(member.room);
        }
        member.join = null;
        if (member.patience != null) {
            member.patience.cancel();
        }
    }

    /** A join came back (or took too long): the connection is a member and receives the channel from now on. */
    void admitted(Membership member) {
        if (joining.remove(member.device) == null) {
            return;
        }
        member.room.pending--;
        if (member.patience != null) {
            member.patience.cancel();
        }
        Request request = member.join;
        member.join = null;
        if (member.cancelled) {
            announceLeave(member.room, member.device); // closed meanwhile: its join is undone in the same order
            closeIfUnused(member.room);
            return;
        }
        member.room.local.put(member.client, member);
        chat.lifecycle().subscribed(chat.name(), member.room.channel, member.client);
        refresh.ensureRunning();
        if (request != null) {
            request.reply(chat.membersReply(member.room.identities.keySet()));
        }
    }

    Membership joining(String device) {
        return joining.get(device);
    }

    void leave(Request request, ChannelParams params) {
        JsonKey channel = context.budget().key(params.channel());
        Membership member = byClient.getOrDefault(request.client(), Map.of()).get(channel);
        if (member == null || member.join != null) {
            throw new RpcException(ErrorName.NOT_JOINED);
        }
        leave(member);
        request.reply(null);
    }

    void onDisconnect(Client client) {
        Map<JsonKey, Membership> mine = byClient.get(client);
        if (mine == null) {
            return;
        }
        for (Membership member : List.copyOf(mine.values())) {
            if (joining.containsKey(member.device)) {
                member.cancelled = true; // undone once its join is announced (or failed)
                member.join = null;
                dropMembership(member);
            } else {
                leave(member);
            }
        }
    }

    private void leave(Membership member) {
        dropMembership(member);
        Room room = member.room;
        if (room.local.remove(member.client) != null) {
            chat.lifecycle().unsubscribed(chat.name(), room.channel, member.client);
        }
        announceLeave(room, member.device);
        closeIfUnused(room);
    }

    /** Presence removed before the event: a node reading the snapshot after the event must not find the device. */
    void announceLeave(Room room, String device) {
        bus.presence().remove(room.topic, device, (ok, failure) -> {
            ObjectNode event = chat.object().put("op", "leave").put("device", device);
            bus.publish(room.topic, event, (done, failure2) -> {
                if (failure != null || failure2 != null) {
                    log.debug("chat: a leave was not announced; the node's next resync replaces it");
                }
            });
        });
    }

    private void dropMembership(Membership member) {
        Map<JsonKey, Membership> mine = byClient.get(member.client);
        if (mine != null && mine.remove(member.room.channel) == member) {
            context.budget().release(member.client, member.room.channel.byteSize());
            if (mine.isEmpty()) {
                byClient.remove(member.client);
            }
        }
    }

    void send(Request request, SendParams params) {
        JsonKey channel = context.budget().key(params.channel());
        Membership member = byClient.getOrDefault(request.client(), Map.of()).get(channel);
        if (member == null || member.join != null) {
            throw new RpcException(ErrorName.NOT_JOINED);
        }
        ObjectNode event = chat.object().put("op", "send");
        event.set("from", member.identity.value());
        event.set("body", params.body());
        event.put("timestamp", chat.timestamp());
        bus.publish(member.room.topic, event, (done, failure) -> answer(request, failure));
    }

    /** Read receipts go through the bus: the identity's other devices may be on any node. */
    void read(Request request, ChannelParams params) {
        JsonNode identity = request.client().identity().orElse(null);
        if (identity == null) {
            request.reply(null);
            return;
        }
        JsonKey channel = context.budget().key(params.channel());
        Room room = rooms.get(channel);
        Membership reader = byClient.getOrDefault(request.client(), Map.of()).get(channel);
        if (room != null && room.ready() && room.buffered == null && room.identities.getOrDefault(JsonKey.of(identity),
                0) <= (reader != null && room.devices.containsKey(reader.device) ? 1 : 0)) {
            request.reply(null); // this node sees every device in the channel: the identity has no other
            return;
        }
        ObjectNode event = chat.object().put("op", "read").put("device", reader != null ? reader.device : "");
        event.set("identity", identity);
        event.put("timestamp", chat.timestamp());
        bus.publish(topic(chat.name(), channel.value()), event, (done, failure) -> answer(request, failure));
    }

    private void answer(Request request, Throwable failure) {
        if (failure != null) {
            request.error(ErrorName.UNAVAILABLE);
        } else {
            request.reply(null);
        }
    }

    /** The room of a channel this node's first member joins: subscribed, then its snapshot read. */
    private Room open(JsonKey channel) {
        Room room = new Room(channel, topic(chat.name(), channel.value()));
        room.handler = event -> events.onEvent(room, event);
        rooms.put(channel, room); // before subscribing: the answer may come at once
        bus.subscribe(room.topic, room.handler, (ok, failure) -> {
            if (failure != null) {
                ready(room, failure);
            } else {
                events.load(room, false);
            }
        });
        return room;
    }

    private void whenReady(Room room, Consumer<Throwable> then) {
        if (room.ready()) {
            then.accept(room.failure);
        } else {
            room.waiting.add(() -> then.accept(room.failure));
        }
    }

    /** The first snapshot was read (or could not be): what waited for it goes on. */
    void ready(Room room, Throwable failure) {
        List<Runnable> waiting = room.waiting;
        if (waiting == null) {
            return;
        }
        room.failure = failure;
        room.waiting = null;
        if (failure != null) {
            rooms.remove(room.channel, room);
            bus.unsubscribe(room.topic, room.handler);
        }
        waiting.forEach(Runnable::run);
    }

    private void closeIfUnused(Room room) {
        if (room.unused() && room.ready() && rooms.remove(room.channel, room)) {
            bus.unsubscribe(room.topic, room.handler);
        }
    }

    PresenceInfo presenceOf(Membership member) {
        ObjectNode info = chat.object().put("node", bus.nodeId());
        info.set("identity", member.identity.value());
        return new PresenceInfo(member.device, info);
    }

    /** Adds every member's presence again, so that a dead node's entries expire and only its. */
    private boolean refreshAll() {
        for (Room room : rooms.values()) {
            for (Membership member : room.local.values()) {
                bus.presence().add(room.topic, presenceOf(member), this::logFailure);
            }
        }
        return !rooms.isEmpty();
    }

    /** This node may have missed events, or Redis lost everything: each ready room is announced again and re-read. */
    private void resync() {
        for (Room room : List.copyOf(rooms.values())) {
            if (room.ready()) { // otherwise its first snapshot is on its way
                events.resync(room, this::heldIn);
            }
        }
    }

    /** This node's members of {@code room}, with those whose join is announced but not yet applied here. */
    private List<Membership> heldIn(Room room) {
        List<Membership> members = new ArrayList<>(room.local.values());
        joining.values().stream().filter(m -> m.room == room && m.announced && !m.cancelled).forEach(members::add);
        return members;
    }

    void logFailure(Object ignored, Throwable failure) {
        if (failure != null) {
            log.debug("chat: a cluster update failed: {}", failure.getMessage());
        }
    }

    Map<String, Integer> stateSizes() {
        return Room.sizes(rooms.values(), byClient.size(), joining.size());
    }

    BiConsumer<Void, Throwable> logging() {
        return this::logFailure;
    }}
