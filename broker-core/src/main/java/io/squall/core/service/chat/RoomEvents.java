package io.squall.core.service.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.Client;
import io.squall.core.cluster.ServiceBus;
import io.squall.api.JsonKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a clustered node does with a channel's events as they come back from the bus, identically on every node:
 * devices added and removed (presence to this node's members where an identity came or went), messages and read
 * receipts delivered to this node's members, snapshots read and reconciled, dead nodes' devices dropped.
 */
final class RoomEvents {
    private static final Logger log = LoggerFactory.getLogger(RoomEvents.class);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final int MAX_DOWN = 1024;

    private final ChatService chat;
    private final ChatCluster cluster;
    private final ServiceBus bus;
    private final String self;
    private final String devicePrefix;
    /** nodes found dead lately: a snapshot read before their entries expired must not bring them back */
    private final Map<String, Boolean> down = new HashMap<>();

    RoomEvents(ChatService chat, ChatCluster cluster, ServiceBus bus, String devicePrefix) {
        this.chat = chat;
        this.cluster = cluster;
        this.bus = bus;
        this.self = bus.nodeId();
        this.devicePrefix = devicePrefix;
    }

    void onEvent(Room room, JsonNode event) {
        if (room.buffered != null) {
            room.buffered.add(event); // applied after the snapshot being read
        } else {
            apply(room, event);
        }
    }

    private void apply(Room room, JsonNode event) {
        switch (event.path("op").asText()) {
            case "join" -> joined(room, event);
            case "leave" -> {
                JsonKey gone = room.remove(event.path("device").asText());
                if (gone != null) {
                    presence(room, gone, "left");
                }
            }
            case "send" -> {
                ObjectNode message = chat.object().put("type", "message");
                message.set("from", event.get("from"));
                message.set("channel", room.channel.value());
                message.set("body", event.get("body"));
                message.set("timestamp", event.get("timestamp"));
                chat.deliver(room.local.keySet(), message);
            }
            case "read" -> {
                JsonKey identity = JsonKey.of(event.path("identity"));
                String reader = event.path("device").asText();
                List<Client> others = room.local.values().stream()
                        .filter(member -> member.identity.equals(identity) && !member.device.equals(reader))
                        .map(member -> member.client).toList();
                if (!others.isEmpty()) {
                    ObjectNode message = chat.object().put("type", "read");
                    message.set("channel", room.channel.value());
                    message.set("timestamp", event.get("timestamp"));
                    chat.deliver(others, message);
                }
            }
            case "sync" -> synced(room, event);
            default -> { } // a later version's event: nothing this one knows to do
        }
    }

    private void joined(Room room, JsonNode event) {
        String id = event.path("device").asText();
        JsonNode identity = event.path("identity");
        if (room.add(new Room.Device(id, JsonKey.of(identity), event.path("node").asText()))) {
            presence(room, JsonKey.of(identity), "joined"); // to the members already there: the joiner is not yet one
        }
        if (!id.startsWith(devicePrefix)) {
            return;
        }
        Membership member = cluster.joining(id);
        if (member != null) {
            cluster.admitted(member);
        } else if (room.local.values().stream().noneMatch(m -> m.device.equals(id))) {
            cluster.announceLeave(room, id); // a join answered Unavailable that got through after all: undone
        }
    }

    /** A node's list of its devices in the room (after a resync) replaces what every node knew of them. */
    private void synced(Room room, JsonNode event) {
        String node = event.path("node").asText();
        Set<String> listed = new HashSet<>();
        Set<JsonKey> before = room.identitySet();
        for (JsonNode device : event.path("devices")) {
            String id = device.path("device").asText();
            listed.add(id);
            room.add(new Room.Device(id, JsonKey.of(device.path("identity")), node));
        }
        room.devicesOf(node).stream().filter(id -> !listed.contains(id)).forEach(room::remove);
        tellDifference(room, before);
    }

    /**
     * This node's members' presence goes back, then every node is told which devices this node holds in the room
     * (replacing what it knew of them), and the room is re-read. Anything the engine refused is done again a little
     * later: a restarted Redis may refuse the first calls, and no other resync would come to repair it.
     */
    void resync(Room room, Function<Room, List<Membership>> held) {
        if (cluster.rooms().get(room.channel) != room) {
            return; // closed meanwhile
        }
        int resync = ++room.resyncs;
        List<Membership> members = held.apply(room);
        boolean[] failed = {false};
        int[] left = {members.size()};
        Runnable announce = () -> announceSync(room, members, (ok, failure) -> {
            if ((failure != null || failed[0]) && room.resyncs == resync) {
                log.debug("chat: resync of {} incomplete; trying again", room.channel);
                chat.context().loop().schedule(RETRY, () -> {
                    if (room.resyncs == resync) {
                        resync(room, held);
                    }
                });
            }
        });
        if (members.isEmpty()) {
            announce.run();
        }
        for (Membership member : members) {
            bus.presence().add(room.topic, cluster.presenceOf(member), (ok, failure) -> {
                failed[0] |= failure != null;
                if (--left[0] == 0) {
                    announce.run();
                }
            });
        }
        load(room, true);
    }

    private void announceSync(Room room, List<Membership> members, BiConsumer<Void, Throwable> onLoop) {
        ArrayNode devices = chat.object().arrayNode();
        for (Membership member : members) {
            ObjectNode device = devices.addObject().put("device", member.device);
            device.set("identity", member.identity.value());
        }
        ObjectNode event = chat.object().put("op", "sync").put("node", self);
        event.set("devices", devices);
        bus.publish(room.topic, event, onLoop);
    }

    /**
     * Reads the room's snapshot (events meanwhile are kept and applied after it). A first read makes the room
     * ready; a re-read (resync) tells this node's members who came or went meanwhile.
     */
    void load(Room room, boolean reload) {
        int load = ++room.loads;
        if (room.buffered == null) {
            room.buffered = new ArrayList<>();
        }
        Set<JsonKey> before = room.identitySet();
        bus.presence().presence(room.topic, (entries, failure) -> {
            if (room.loads != load || cluster.rooms().get(room.channel) != room) {
                return; // a later read answers, or the room closed
            }
            if (failure != null) {
                if (reload) {
                    room.loads++;
                    chat.context().loop().schedule(RETRY, () -> {
                        if (cluster.rooms().get(room.channel) == room) {
                            load(room, true);
                        }
                    });
                } else {
                    room.buffered = null;
                    cluster.ready(room, failure);
                }
                return;
            }
            room.devices.clear();
            room.identities.clear();
            Set<String> live = bus.liveNodes();
            Set<String> suspects = new HashSet<>();
            entries.forEach((id, info) -> {
                String node = info.identity() == null ? "" : info.identity().path("node").asText();
                if (node.isEmpty() || node.equals(self) || (down.containsKey(node) && !live.contains(node))) {
                    return; // this node's own devices are what it holds; a dead node's are gone
                }
                room.add(new Room.Device(id, JsonKey.of(info.identity().path("identity")), node));
                if (!live.contains(node)) {
                    suspects.add(node);
                }
            });
            room.local.values().forEach(m -> room.add(new Room.Device(m.device, m.identity, self)));
            if (reload) {
                tellDifference(room, before);
            }
            List<JsonNode> events = room.buffered;
            room.buffered = null;
            events.forEach(event -> apply(room, event));
            if (!reload) {
                cluster.ready(room, null);
            }
            suspects.forEach(node -> chat.context().loop().schedule(cluster.patience(), () -> {
                if (!bus.liveNodes().contains(node) && cluster.rooms().get(room.channel) == room) {
                    drop(room, device -> device.node().equals(node)); // its heartbeats never came: it is gone
                }
            }));
        });
    }

    /** A node died: its devices leave every room, on every surviving node. */
    void nodeDown(String node) {
        if (down.size() >= MAX_DOWN) {
            down.clear();
        }
        down.put(node, Boolean.TRUE);
        for (Room room : List.copyOf(cluster.rooms().values())) {
            drop(room, device -> device.node().equals(node));
        }
    }

    /** A node started: devices of an earlier process under its id are gone. */
    void nodeEvent(JsonNode event) {
        String node = event.path("node").asText();
        String prefix = event.path("prefix").asText();
        if (!"start".equals(event.path("op").asText()) || prefix.equals(devicePrefix)) {
            return;
        }
        down.remove(node);
        for (Room room : List.copyOf(cluster.rooms().values())) {
            drop(room, device -> device.id().startsWith(node + "/") && !device.id().startsWith(prefix));
        }
    }

    private void drop(Room room, Predicate<Room.Device> which) {
        Set<JsonKey> before = room.identitySet();
        List<String> gone = room.devices.values().stream().filter(which).map(Room.Device::id).toList();
        gone.forEach(room::remove);
        gone.forEach(id -> bus.presence().remove(room.topic, id, cluster.logging())); // several survivors may
        tellDifference(room, before);
    }

    private void tellDifference(Room room, Set<JsonKey> before) {
        Set<JsonKey> after = room.identities.keySet();
        before.stream().filter(identity -> !after.contains(identity)).forEach(identity -> presence(room, identity, "left"));
        after.stream().filter(identity -> !before.contains(identity)).toList()
                .forEach(identity -> presence(room, identity, "joined"));
    }

    private void presence(Room room, JsonKey identity, String status) {
        chat.presence(room.local.keySet(), room.channel.value(), identity.value(), status);
    }
}
