package io.squall.core.service.chat;

import io.squall.api.JsonKey;

/** One identity in one channel: its devices (connections) sit in the same seat. */
record Seat(JsonKey channel, JsonKey identity) {}
