package io.squall.core.broker;

/**
 * How many connections are present in a channel and how many distinct identities they carry (anonymous
 * connections count as connections only).
 */
public record PresenceStats(int clients, int users) {}
