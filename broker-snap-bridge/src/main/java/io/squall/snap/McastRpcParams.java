package io.squall.snap;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code mcastRpc}: multicast {@code function(args...)} to the 16-bit {@code group} mask, {@code ttl} hops. */
record McastRpcParams(int group, int ttl, String function, JsonNode args) {}
