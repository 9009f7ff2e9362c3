package io.squall.core.api;

import io.squall.api.Call;
import io.squall.api.Caller;
import io.squall.api.OverloadedException;
import io.squall.api.ServiceError;
import io.squall.api.ServiceException;
import io.squall.core.error.ErrorName;
import io.squall.core.loop.LoopOverloadedException;
import io.squall.core.rpc.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A {@link Call} over the core's {@link Request}. */
final class ApiCall implements Call {
    private static final Logger log = LoggerFactory.getLogger(ApiCall.class);

    private final Request request;
    private final Caller caller;
    private final String service;

    ApiCall(Request request, Caller caller, String service) {
        this.request = request;
        this.caller = caller;
        this.service = service;
    }

    @Override
    public Caller caller() {
        return caller;
    }

    @Override
    public String command() {
        return request.command();
    }

    @Override
    public void reply(Object data) {
        request.reply(data);
    }

    @Override
    public void fail(ServiceError error) {
        request.error(ErrorNames.of(error));
    }

    @Override
    public void complete(Object result, Throwable failure) {
        if (failure == null) {
            reply(result);
        } else if (failure instanceof ServiceException e) {
            fail(e.error());
        } else if (failure instanceof OverloadedException || failure instanceof LoopOverloadedException) {
            request.error(ErrorName.OVERLOADED);
        } else {
            log.error("{}.{} failed for {}", service, request.command(), caller.describe(), failure);
            request.error(ErrorName.INTERNAL_ERROR);
        }
    }

    @Override
    public boolean isDone() {
        return request.isResolved();
    }
}
