package io.squall.core.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.json.Json;
import io.squall.core.protocol.EncodedMessage;
import java.io.UncheckedIOException;

/** JSON literals for tests, written with single quotes so they read well inside Java strings. */
public final class Jsons {
    private Jsons() {}

    /** Parses {@code text} after turning every {@code '} into {@code "}: {@code json("{'a':1}")}. */
    public static JsonNode json(String text) {
        return parse(text.replace('\'', '"'));
    }

    /** Parses {@code text} as is, with Squall's mapper and its limits. */
    public static JsonNode parse(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An encoded frame parsed back to a tree. */
    public static JsonNode parse(EncodedMessage message) {
        return parse(message.text());
    }
}
