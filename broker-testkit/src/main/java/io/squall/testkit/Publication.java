package io.squall.testkit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a service published through {@link io.squall.api.Channels}, as the {@link ServiceTester} recorded it.
 *
 * @param channel the channel it named
 * @param data the publication's data, as subscribers would receive it
 */
public record Publication(String channel, JsonNode data) {
    @Override
    public String toString() {
        return channel + " " + data;
    }
}
