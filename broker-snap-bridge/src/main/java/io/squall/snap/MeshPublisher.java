package io.squall.snap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.api.Channels;
import io.squall.snap.codec.SnapMessage;
import io.squall.snap.codec.SnapValues;
import java.time.Instant;

/**
 * Publishes what the mesh says on broker channels, from the loop, past client permissions (as the backend's
 * PubSub does): each node RPC on its templated channel and on the all-channel, node joins and leaves on the nodes
 * channel, and link state on the link channel.
 */
final class MeshPublisher {
    private final Channels channels;
    private final ObjectMapper mapper;
    private final ChannelTemplate template;
    private final SnapJson json;
    private final String allChannel;
    private final String nodesChannel;
    private final String linkChannel;
    private final String port;

    MeshPublisher(SnapBridgeConfig config, Channels channels, ObjectMapper mapper) {
        this.channels = channels;
        this.mapper = mapper;
        this.template = new ChannelTemplate(config.channelTemplate());
        this.json = new SnapJson(mapper);
        this.allChannel = config.allChannel().isBlank() ? null : config.allChannel();
        this.nodesChannel = config.nodesChannel();
        this.linkChannel = config.linkChannel();
        this.port = config.serial().path();
    }

    void message(SnapMessage message, Instant time) {
        ObjectNode publication = json.publication(message, time);
        channels.publish(template.channelOf(message), publication);
        if (allChannel != null) {
            channels.publish(allChannel, publication);
        }
    }

    void nodeJoined(NodeDirectory.Node node) {
        channels.publish(nodesChannel, nodeEvent("joined", node));
    }

    void nodeLeft(NodeDirectory.Node node) {
        channels.publish(nodesChannel, nodeEvent("left", node));
    }

    ObjectNode nodeView(NodeDirectory.Node node) {
        ObjectNode view = mapper.createObjectNode();
        view.put("node", SnapValues.address(node.address));
        view.put("online", node.online);
        view.put("firstSeen", node.firstSeen.toString());
        view.put("lastSeen", node.lastSeen.toString());
        view.put("messages", node.messages);
        view.put("lastFunction", node.lastFunction);
        return view;
    }

    ArrayNode nodesView(Iterable<NodeDirectory.Node> nodes) {
        ArrayNode view = mapper.createArrayNode();
        nodes.forEach(node -> view.add(nodeView(node)));
        return view;
    }

    /** The link's state ({@code up} or {@code down}), on the link channel and for the {@code link} command. */
    ObjectNode linkStatus(String state, String reason, Instant time) {
        ObjectNode status = mapper.createObjectNode();
        status.put("state", state);
        status.put("port", port);
        if (reason != null) {
            status.put("reason", reason);
        }
        status.put("time", time.toString());
        return status;
    }

    private ObjectNode nodeEvent(String event, NodeDirectory.Node node) {
        ObjectNode view = nodeView(node);
        view.put("event", event);
        return view;
    }

    void link(ObjectNode status) {
        channels.publish(linkChannel, status);
    }
}
