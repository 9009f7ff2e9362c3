package io.squall.core.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The commands a service declares: Snorky's {@code @rpc_command} whitelist, spelled out. */
public final class CommandTable {

    /** A command that answers at once with its return value. */
    @FunctionalInterface
    public interface SyncHandler<P> {
        Object handle(Request request, P params);
    }

    /** A command that keeps the {@link Request} and resolves it later (Snorky's {@code @rpc_asynchronous}). */
    @FunctionalInterface
    public interface AsyncHandler<P> {
        void handle(Request request, P params);
    }

    /**
     * Binds a hot command's params without Jackson's data binding ({@code treeToValue} walks the tree through a
     * token stream). It must accept and refuse exactly what binding to {@code paramsType} would; its tests compare
     * the two. Throws {@link IllegalArgumentException} for params that do not bind ("Invalid params").
     */
    @FunctionalInterface
    public interface ParamsBinder<P> {
        P bind(JsonNode params);
    }

    record Command<P>(String name, Class<P> paramsType, ParamsBinder<P> binder, AsyncHandler<P> handler,
            boolean async) {}

    private final Map<String, Command<?>> commands = new HashMap<>();

    public <P> CommandTable add(String name, Class<P> paramsType, SyncHandler<P> handler) {
        return add(name, paramsType, null, handler);
    }

    /** A command whose params bind with {@code binder} (null: Jackson's data binding to {@code paramsType}). */
    public <P> CommandTable add(String name, Class<P> paramsType, ParamsBinder<P> binder, SyncHandler<P> handler) {
        return put(new Command<>(name, paramsType, binder, (request, params) -> {
            Object data = handler.handle(request, params);
            if (!request.isResolved()) {
                request.reply(data);
            }
        }, false));
    }

    public <P> CommandTable addAsync(String name, Class<P> paramsType, AsyncHandler<P> handler) {
        return addAsync(name, paramsType, null, handler);
    }

    /** An asynchronous command whose params bind with {@code binder} (null: Jackson's data binding). */
    public <P> CommandTable addAsync(String name, Class<P> paramsType, ParamsBinder<P> binder,
            AsyncHandler<P> handler) {
        return put(new Command<>(name, paramsType, binder, handler, true));
    }

    private CommandTable put(Command<?> command) {
        if (commands.putIfAbsent(command.name(), command) != null) {
            throw new IllegalArgumentException("command '" + command.name() + "' is declared twice");
        }
        return this;
    }

    Command<?> get(String name) {
        return commands.get(name);
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(commands.keySet());
    }
}
