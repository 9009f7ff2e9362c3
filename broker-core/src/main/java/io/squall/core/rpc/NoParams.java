package io.squall.core.rpc;

/** Params type of a command that takes none: {@code "params": {}}; any key is "Invalid params". */
public record NoParams() {}
