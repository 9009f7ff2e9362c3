package io.squall.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.api.Caller;
import io.squall.core.Client;
import java.util.Optional;

/** A connection as a service of the public API sees it; equal for the same connection and service (a record). */
record ClientCaller(Client client, ApiService service) implements Caller {

    @Override
    public Optional<JsonNode> identity() {
        return client.identity();
    }

    @Override
    public void notify(Object message) {
        service.notify(client, message);
    }

    @Override
    public void hold(String key) {
        service.hold(client, key);
    }

    @Override
    public void release(String key) {
        service.release(client, key);
    }

    @Override
    public void holdBytes(long bytes) {
        service.holdBytes(client, bytes);
    }

    @Override
    public void releaseBytes(long bytes) {
        service.releaseBytes(client, bytes);
    }

    @Override
    public void checkKey(String key) {
        service.checkKey(key);
    }

    @Override
    public String describe() {
        return client.describe();
    }

    @Override
    public String toString() {
        return "Caller[" + client.describe() + "]";
    }
}
