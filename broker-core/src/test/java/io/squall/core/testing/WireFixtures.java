package io.squall.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The golden wire frames under {@code src/test/resources/wire/}: one JSON file per frame shape of Snorky's protocol
 * ({@code reference/snorky.md} section 1). They ship in the test-jar, so every module can check its frames
 * against the same bytes {@code snorky.js} expects.
 */
public final class WireFixtures {
    /** Every fixture, by name (the file name without {@code .json}). ProtocolCodecTest checks the list is complete. */
    public static final List<String> NAMES = List.of(
            "request-with-call-id",
            "request-without-call-id",
            "response-with-call-id",
            "response-without-call-id",
            "response-with-data",
            "error-with-call-id",
            "error-with-null-call-id",
            "error-invalid-json",
            "error-invalid-envelope",
            "error-unknown-service",
            "notification-pubsub-message",
            "notification-datasync-delta",
            "plain-service-message",
            "error-not-authenticated",
            "response-chat-join",
            "notification-chat-message",
            "notification-chat-presence",
            "notification-chat-read",
            "response-messaging-list",
            "notification-messaging-message",
            "response-cursors-join",
            "response-cursors-create",
            "notification-cursors-added",
            "notification-cursors-updated",
            "notification-cursors-removed",
            "request-datasync-authorize",
            "response-datasync-token",
            "request-datasync-publish-deltas",
            "notification-datasync-insert",
            "notification-datasync-delete",
            // Squall's own frames: positions, recovery, history, presence (docs/protocol.md)
            "response-pubsub-recoverable",
            "response-pubsub-recovered",
            "notification-pubsub-positioned-message",
            "notification-pubsub-unsubscribed",
            "response-pubsub-history",
            "response-backend-publish-position",
            "response-pubsub-presence-stats");

    /** The classpath folder the fixtures live in. */
    public static final String FOLDER = "/wire/";

    private WireFixtures() {}

    /** The fixture's text exactly as stored. */
    public static String text(String name) {
        String path = FOLDER + name + ".json";
        try (InputStream in = WireFixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no wire fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture parsed with Squall's mapper. */
    public static JsonNode tree(String name) {
        return Jsons.parse(text(name));
    }
}
