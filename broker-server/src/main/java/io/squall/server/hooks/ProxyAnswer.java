package io.squall.server.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.error.ErrorName;

/** What a proxy call came back with: the application's answer, or why there is none. */
public sealed interface ProxyAnswer {

    /** {@code {"result":{...}}}: allowed; {@code result} is the object (never null). */
    record Result(JsonNode result) implements ProxyAnswer {}

    /** {@code {"error":{"name","message"}}}: refused with the application's error name. */
    record Refused(String name, String message) implements ProxyAnswer {}

    /** {@code {"disconnect":{"code","reason"}}}: the connection is to be closed (code 4000-4999). */
    record Disconnect(int code, String reason) implements ProxyAnswer {}

    /**
     * No usable answer: {@code Timeout} (deadline passed), {@code Overloaded} (too many calls in flight),
     * {@code Unavailable} (breaker open, connection refused, not 200, an answer that breaks the contract).
     */
    record Failed(ErrorName error, String why) implements ProxyAnswer {}
}
