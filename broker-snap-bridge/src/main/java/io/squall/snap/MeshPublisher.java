package io.squall.snap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.ServiceContext;
import io.squall.core.service.pubsub.PubSubService;
import io.squall.snap.codec.SnapMessage;
import io.squall.snap.codec.SnapValues;
import java.time.Instant;

/**
 * Publishes what the mesh says on broker channels, from the loop, past client permissions (as the backend's
 * PubSub does): each node RPC on its templated channel and on the all-channel, node joins and leaves on the nodes
 * channel, and link state on the link channel.
 */
final class MeshPublisher {
    private final ServiceContext context;
    private final PubSubService pubsub;
    private final ChannelTemplate template;
    private final SnapJson json;
    private final JsonNode allChannel;
    private final JsonNode nodesChannel;
    private final JsonNode linkChannel;

    MeshPublisher(SnapBridgeConfig config, ServiceContext context, PubSubService pubsub) {
        this.context = context;
        this.pubsub = pubsub;
        this.template = new ChannelTemplate(config.channelTemplate());
        this.json = new SnapJson(context.codec().mapper());
        var factory = context.codec().mapper().getNodeFactory();
        this.allChannel = config.allChannel().isBlank() ? null : factory.textNode(config.allChannel());
        this.nodesChannel = factory.textNode(config.nodesChannel());
        this.linkChannel = factory.textNode(config.linkChannel());
    }

    void message(SnapMessage message, Instant time) {
        ObjectNode publication = json.publication(message, time);
        pubsub.publish(context.codec().mapper().getNodeFactory().textNode(template.channelOf(message)), publication);
        if (allChannel != null) {
            pubsub.publish(allChannel, publication);
        }
    }

    void nodeJoined(NodeDirectory.Node node) {
        pubsub.publish(nodesChannel, nodeEvent("joined", node));
    }

    void nodeLeft(NodeDirectory.Node node) {
        pubsub.publish(nodesChannel, nodeEvent("left", node));
    }

    ObjectNode nodeView(NodeDirectory.Node node) {
        ObjectNode view = context.codec().mapper().createObjectNode();
        view.put("node", SnapValues.address(node.address));
        view.put("online", node.online);
        view.put("firstSeen", node.firstSeen.toString());
        view.put("lastSeen", node.lastSeen.toString());
        view.put("messages", node.messages);
        view.put("lastFunction", node.lastFunction);
        return view;
    }

    private ObjectNode nodeEvent(String event, NodeDirectory.Node node) {
        ObjectNode view = nodeView(node);
        view.put("event", event);
        return view;
    }

    void link(ObjectNode status) {
        pubsub.publish(linkChannel, status);
    }
}
