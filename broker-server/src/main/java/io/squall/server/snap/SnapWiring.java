package io.squall.server.snap;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.server.http.PlainResponses;
import io.squall.server.plugins.LoadedPlugins;
import io.squall.snap.SnapCluster;
import io.squall.snap.SnapPlugin;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts the SNAP bridge into a broker: its plugin's services join the registries through the public service API with
 * the embedded services and the plugins', and the live page is served at {@code /snap/}.
 */
public final class SnapWiring {
    /** Where the live page's files sit on the classpath (in broker-snap-bridge). */
    private static final String PAGE_RESOURCES = "io/squall/snap/page";
    /** How the start log and a refused start name it. */
    private static final String ORIGIN = "built-in plugin snap";

    private SnapWiring() {}

    /** The SNAP plugin's services (none when {@code snap} is null), then {@code others}, in the order they start. */
    public static List<LoadedPlugins.Origin> withBridge(SnapPlugin snap, List<LoadedPlugins.Origin> others) {
        if (snap == null) {
            return others;
        }
        List<LoadedPlugins.Origin> all = new ArrayList<>();
        snap.services(null).forEach(binding -> all.add(new LoadedPlugins.Origin(ORIGIN, binding)));
        all.addAll(others);
        return all;
    }

    /** For {@code /health}: the bridge's view and, on several nodes, which node owns the port. Any thread. */
    public static ObjectNode healthView(SnapPlugin snap) {
        return snap.cluster().map(SnapCluster::healthView).orElse(null);
    }

    /** The live page (static HTML and JS that speak the broker's WebSocket protocol), for {@code /snap/}. */
    public static HttpHandler page() {
        ClassPathResourceManager files = new ClassPathResourceManager(SnapWiring.class.getClassLoader(), PAGE_RESOURCES);
        return new ResourceHandler(files, PlainResponses.notFound())
                .setWelcomeFiles("index.html")
                .setDirectoryListingEnabled(false)
                .setCacheTime(0);
    }
}
