package io.squall.core.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.Client;
import java.util.function.Consumer;

/**
 * A step some commands pass before they run, for decisions made outside the broker (the application's subscribe
 * and publish proxies, which core knows nothing of: it sees only this seam). Loop thread only.
 */
public interface CommandAdmission {
    /** Lets every command run at once. */
    CommandAdmission NONE = new CommandAdmission() {
        @Override
        public boolean covers(Client client, String command, JsonNode params) {
            return false;
        }

        @Override
        public void admit(Request request, JsonNode params, Consumer<JsonNode> admitted) {
            admitted.accept(params);
        }
    };

    /** Whether {@code command} with these (already valid) params must be admitted before it runs. */
    boolean covers(Client client, String command, JsonNode params);

    /**
     * Decides, now or later (on the loop): either {@code admitted} runs with the params the command runs with (the
     * same node, or a replacement that binds to the same record), or the request is answered with an error, or the
     * client is closed. Never both, and not at all for a client that left meanwhile.
     */
    void admit(Request request, JsonNode params, Consumer<JsonNode> admitted);
}
