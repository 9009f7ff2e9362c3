package io.squall.core.rpc;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.Client;
import io.squall.core.Service;
import io.squall.core.ServiceContext;
import io.squall.core.error.ErrorName;
import io.squall.core.protocol.EncodedMessage;
import io.squall.core.protocol.ProtocolCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service whose messages are RPC calls {@code {"command","params","callId"}}. Subclasses declare their commands
 * in {@link #commands()}; params bind by name to a record, so a missing, extra or mistyped key is
 * {@code "Invalid params"} before the command runs.
 */
public abstract class RpcService implements Service {
    private static final Logger log = LoggerFactory.getLogger(RpcService.class);

    private final String name;
    protected final ServiceContext context;
    private final CommandTable commands = new CommandTable();
    private CommandAdmission admission = CommandAdmission.NONE;

    protected RpcService(String name, ServiceContext context) {
        this.name = name;
        this.context = context;
    }

    @Override
    public final String name() {
        return name;
    }

    /** Puts {@code admission} before the commands it covers (at start, on the loop). */
    public final void admitWith(CommandAdmission admission) {
        this.admission = admission;
    }

    /** Where subclasses declare their commands, in their constructor. */
    protected final CommandTable commands() {
        return commands;
    }

    @Override
    public void onMessage(Client client, JsonNode message) {
        JsonNode callId = ProtocolCodec.callIdOf(message);
        JsonNode command = message.isObject() ? message.get("command") : null;
        if (command == null || !command.isTextual()) {
            reject(client, callId, ErrorName.INVALID_MESSAGE);
            return;
        }
        if (callId != null && !context.budget().fitsKey(callId)) {
            reject(client, callId, ErrorName.INVALID_MESSAGE); // a call id is held while its call runs
            return;
        }
        Request request = new Request(this, client, command.textValue(), callId);
        CommandTable.Command<?> declared = commands.get(command.textValue());
        if (declared == null) {
            request.error(ErrorName.UNKNOWN_COMMAND);
            return;
        }
        JsonNode params = message.get("params");
        if (params == null || !params.isObject()) {
            request.error(ErrorName.INVALID_PARAMS);
            return;
        }
        run(request, declared, params);
    }

    private <P> void run(Request request, CommandTable.Command<P> command, JsonNode params) {
        Bound<P> bound = bind(request, command, params);
        if (bound == null) {
            return;
        }
        if (!admission.covers(request.client(), request.command(), params)) {
            handle(request, command, bound.params());
            return;
        }
        // invalid params never reach the admission step; params it replaces are bound (and checked) again
        admission.admit(request, params, admitted -> {
            Bound<P> rebound = admitted == params ? bound : bind(request, command, admitted);
            if (rebound != null) {
                handle(request, command, rebound.params());
            }
        });
    }

    private record Bound<P>(P params) {}

    /** The params bound to the command's record, or null once the request is answered "Invalid params". */
    private <P> Bound<P> bind(Request request, CommandTable.Command<P> command, JsonNode params) {
        try {
            return new Bound<>(command.binder() != null
                    ? command.binder().bind(params)
                    : context.codec().mapper().treeToValue(params, command.paramsType()));
        } catch (JacksonException | IllegalArgumentException e) {
            invalidParams(request, e);
            return null;
        }
    }

    private <P> void handle(Request request, CommandTable.Command<P> command, P bound) {
        try {
            command.handler().handle(request, bound);
        } catch (RpcException e) {
            if (!request.isResolved()) {
                request.error(e.error());
            }
        } catch (RuntimeException e) {
            log.error("{}.{} failed for {}", name, request.command(), request.client().describe(), e);
            if (!request.isResolved()) {
                request.error(ErrorName.INTERNAL_ERROR);
            }
        }
    }

    /** Answers params that did not bind; {@code cause} says why (services of the public API name the field). */
    protected void invalidParams(Request request, Exception cause) {
        request.error(ErrorName.INVALID_PARAMS);
    }

    private void reject(Client client, JsonNode callId, ErrorName error) {
        context.metrics().rpcErrors(name, error.wireName()).increment();
        send(client, context.codec().error(name, callId, error));
    }

    void sendReply(Request request, Object data) {
        send(request.client(), context.codec().response(name, request.callId(), context.codec().toTree(data)));
    }

    void sendError(Request request, ErrorName error, String field) {
        context.metrics().rpcErrors(name, error.wireName()).increment();
        send(request.client(), field == null ? context.codec().error(name, request.callId(), error)
                : context.codec().error(name, request.callId(), error, field));
    }

    /** An error name chosen outside the broker (an application's refusal), counted as {@code refused}. */
    void sendRefusal(Request request, String errorName) {
        context.metrics().rpcErrors(name, "refused").increment();
        send(request.client(), context.codec().error(name, request.callId(), errorName));
    }

    /** Sends one frame and counts it. */
    protected final void send(Client client, EncodedMessage message) {
        context.metrics().messagesOut(name).increment();
        client.send(message);
    }
}
