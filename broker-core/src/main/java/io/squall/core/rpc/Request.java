package io.squall.core.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.Client;
import io.squall.core.error.ErrorName;

/**
 * One RPC call. It is resolved exactly once, with {@link #reply} or {@link #error}; a synchronous command is
 * resolved with its return value, an asynchronous one keeps the request and resolves it later on the loop.
 */
public final class Request {
    private final RpcService service;
    private final Client client;
    private final String command;
    private final JsonNode callId;
    private boolean resolved;

    Request(RpcService service, Client client, String command, JsonNode callId) {
        this.service = service;
        this.client = client;
        this.command = command;
        this.callId = callId;
    }

    public Client client() {
        return client;
    }

    public String command() {
        return command;
    }

    /** The caller's opaque call id, or null when it sent none (or sent null). */
    public JsonNode callId() {
        return callId;
    }

    public boolean isResolved() {
        return resolved;
    }

    /** Sends {@code {"type":"response","data":data}}; {@code data} may be any Jackson-serializable value or null. */
    public void reply(Object data) {
        markResolved();
        service.sendReply(this, data);
    }

    /** Sends {@code {"type":"error","message":name}}. */
    public void error(ErrorName error) {
        markResolved();
        service.sendError(this, error, null);
    }

    /** Sends {@code {"type":"error","message":name,"field":field}}: which params key was wrong. */
    public void error(ErrorName error, String field) {
        markResolved();
        service.sendError(this, error, field);
    }

    /**
     * Sends {@code {"type":"error","message":name}} with a name that is not one of {@link ErrorName}'s: the
     * application's own, when one of its proxies refuses the command.
     */
    public void refuse(String errorName) {
        markResolved();
        service.sendRefusal(this, errorName);
    }

    private void markResolved() {
        if (resolved) {
            throw new IllegalStateException("request " + service.name() + "." + command + " was already resolved");
        }
        resolved = true;
    }
}
