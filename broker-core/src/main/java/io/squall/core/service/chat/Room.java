package io.squall.core.service.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.Client;
import io.squall.api.JsonKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One channel as a clustered node sees it: every device in it on every node (from a snapshot, then the channel's
 * events in the bus's order, so every node holds the same view) and this node's members, to which it delivers.
 */
final class Room {
    /** A connection of some node in the channel. */
    record Device(String id, JsonKey identity, String node) {}

    final JsonKey channel;
    final JsonKey topic;
    /** every device, every node: device id to device */
    final Map<String, Device> devices = new HashMap<>();
    /** identity to its number of devices, in the order identities came */
    final Map<JsonKey, Integer> identities = new LinkedHashMap<>();
    /** this node's members whose join came back: they receive the channel's messages */
    final Map<Client, Membership> local = new LinkedHashMap<>();
    /** this node's joins not yet come back (they keep the room) */
    int pending;
    /** events received while a snapshot is read; null when none is */
    List<JsonNode> buffered;
    /** what waits for the first snapshot */
    List<Runnable> waiting = new ArrayList<>();
    Consumer<JsonNode> handler;
    /** why the first snapshot could not be read */
    Throwable failure;
    /** the latest snapshot read asked for; an older answer is ignored */
    int loads;
    /** the latest resync; an older one's retry is dropped */
    int resyncs;

    Room(JsonKey channel, JsonKey topic) {
        this.channel = channel;
        this.topic = topic;
    }

    boolean ready() {
        return waiting == null;
    }

    boolean unused() {
        return local.isEmpty() && pending == 0;
    }

    /** Adds {@code device}; true when it is its identity's first device here. Known devices are ignored. */
    boolean add(Device device) {
        if (devices.putIfAbsent(device.id(), device) != null) {
            return false;
        }
        return identities.merge(device.identity(), 1, Integer::sum) == 1;
    }

    /** Removes device {@code id}; its identity when that was the identity's last device, else null. */
    JsonKey remove(String id) {
        Device device = devices.remove(id);
        if (device == null) {
            return null;
        }
        int left = identities.merge(device.identity(), -1, Integer::sum);
        if (left > 0) {
            return null;
        }
        identities.remove(device.identity());
        return device.identity();
    }

    /** The devices node {@code node} holds here. */
    List<String> devicesOf(String node) {
        return devices.values().stream().filter(device -> device.node().equals(node)).map(Device::id).toList();
    }

    /** Every identity present, for a diff across a snapshot. */
    Set<JsonKey> identitySet() {
        return Set.copyOf(identities.keySet());
    }

    /** What the rooms hold: all zero once every client has gone (the leak check). */
    static Map<String, Integer> sizes(Collection<Room> rooms, int clients, int joining) {
        int devices = 0;
        int identities = 0;
        int local = 0;
        for (Room room : rooms) {
            devices += room.devices.size();
            identities += room.identities.size();
            local += room.local.size();
        }
        return Map.of("channels", rooms.size(), "clients", clients, "seats", local, "identities", identities,
                "devices", devices, "joining", joining);
    }
}
