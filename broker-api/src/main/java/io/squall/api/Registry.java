package io.squall.api;

/** Which door a service is reached through. */
public enum Registry {
    /** The public WebSocket port: browsers and apps. */
    PUBLIC,
    /** The private port: trusted backends (HTTP {@code /backend} and {@code /backend/ws}). */
    PRIVATE
}
