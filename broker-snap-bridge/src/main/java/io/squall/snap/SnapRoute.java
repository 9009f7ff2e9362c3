package io.squall.snap;

import com.fasterxml.jackson.databind.JsonNode;

/** Where the {@code snap} service's calls run: on this node, or on the node that owns the serial port. Loop only. */
interface SnapRoute {
    /** One node, or the memory engine: everything runs here. */
    SnapRoute LOCAL = new SnapRoute() {
        @Override
        public boolean local() {
            return true;
        }

        @Override
        public void forward(String command, JsonNode params, SnapCalls.Reply reply) {
            throw new IllegalStateException("nothing to forward on one node");
        }
    };

    /** True when calls run on this node's bridge. */
    boolean local();

    /** Carries a checked call to the node that owns the port; {@code reply} is called once, on the loop. */
    void forward(String command, JsonNode params, SnapCalls.Reply reply);
}
