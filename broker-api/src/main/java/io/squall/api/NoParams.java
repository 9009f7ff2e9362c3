package io.squall.api;

/** Params type of a command that takes none: {@code "params": {}}; any key is "Invalid params". */
public record NoParams() {}
