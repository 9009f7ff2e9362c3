package io.squall.server.hooks;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.core.error.ErrorName;
import java.io.IOException;
import java.util.Iterator;

/**
 * Reads an application's answer strictly (docs/hooks-proxies.md): an object with exactly one of {@code result},
 * {@code error}, {@code disconnect}, each of the documented shape. Anything else is a failure whose reason is
 * logged for the operator; the client only ever sees {@code Unavailable}, never the application's bytes.
 */
final class ProxyAnswers {
    /** An error name longer than this is not a name: refused as a bad answer rather than shown to the client. */
    static final int MAX_NAME_CHARS = 200;

    private ProxyAnswers() {}

    static ProxyAnswer parse(ObjectMapper mapper, int status, byte[] body) {
        if (status != 200) {
            return bad("HTTP status " + status);
        }
        JsonNode answer;
        try {
            answer = mapper.readTree(body);
        } catch (JacksonException e) {
            return bad("the body is not JSON");
        } catch (IOException e) {
            return bad("the body cannot be read");
        }
        if (answer == null || !answer.isObject() || answer.size() != 1) {
            return bad("expected an object with exactly one of result, error, disconnect");
        }
        Iterator<String> names = answer.fieldNames();
        String only = names.next();
        JsonNode value = answer.get(only);
        return switch (only) {
            case "result" -> value.isObject() ? new ProxyAnswer.Result(value) : bad("result is not an object");
            case "error" -> refused(value);
            case "disconnect" -> disconnect(value);
            default -> bad("unknown member '" + only + "'");
        };
    }

    private static ProxyAnswer refused(JsonNode error) {
        JsonNode name = error.get("name");
        JsonNode message = error.get("message");
        if (!error.isObject() || name == null || !name.isTextual() || name.textValue().isBlank()
                || name.textValue().length() > MAX_NAME_CHARS) {
            return bad("error.name is not a non-empty string of at most " + MAX_NAME_CHARS + " characters");
        }
        if (message != null && !message.isTextual() && !message.isNull()) {
            return bad("error.message is not a string");
        }
        return new ProxyAnswer.Refused(name.textValue(), message == null || message.isNull() ? null
                : message.textValue());
    }

    private static ProxyAnswer disconnect(JsonNode disconnect) {
        JsonNode code = disconnect.get("code");
        JsonNode reason = disconnect.get("reason");
        if (!disconnect.isObject() || code == null || !code.isInt() || code.intValue() < 4000
                || code.intValue() > 4999) {
            return bad("disconnect.code is not a whole number in 4000-4999");
        }
        if (reason != null && !reason.isTextual() && !reason.isNull()) {
            return bad("disconnect.reason is not a string");
        }
        return new ProxyAnswer.Disconnect(code.intValue(), reason == null || reason.isNull() ? ""
                : reason.textValue());
    }

    static ProxyAnswer.Failed bad(String why) {
        return new ProxyAnswer.Failed(ErrorName.UNAVAILABLE, "bad answer: " + why);
    }
}
