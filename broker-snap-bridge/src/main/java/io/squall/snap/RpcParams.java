package io.squall.snap;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code rpc}: unicast {@code function(args...)} on the node at {@code address} ("5de663" or "5D.E6.63"). */
record RpcParams(String address, String function, JsonNode args) {}
