package io.squall.api;

/**
 * One RPC call, answered exactly once: with {@link #reply}, {@link #fail} or {@link #complete}. Loop thread only
 * (hand it back with {@link Loop#runOnExecutor}'s callback, never answer it from a worker thread).
 */
public interface Call {

    /** Who called. */
    Caller caller();

    /** The command's name. */
    String command();

    /** Answers {@code {"type":"response","data":data}}; {@code data} is any Jackson-serializable value, or null. */
    void reply(Object data);

    /** Answers {@code {"type":"error","message":error's name}}. */
    void fail(ServiceError error);

    /**
     * Answers with {@code result} when {@code failure} is null, else with the failure's error: a
     * {@link ServiceException}'s own, {@code "Overloaded"} for a full pool ({@link OverloadedException}),
     * {@code "Internal error"} (logged) for anything else. Shaped to be {@link Loop#runOnExecutor}'s callback:
     * {@code loop.runOnExecutor(() -> device.read(), call::complete)}.
     */
    void complete(Object result, Throwable failure);

    /** True once answered. */
    boolean isDone();
}
