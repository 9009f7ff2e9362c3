package io.squall.server.api;

import io.squall.api.Caller;
import io.squall.api.NoParams;
import io.squall.api.ServiceSetup;
import io.squall.api.SquallService;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/** A service written against broker-api alone (its imports are io.squall.api and the JDK): embedding's test subject. */
public final class Greeter implements SquallService {
    record HelloParams(String name) {}

    record RecentParams(int limit) {}

    private final Set<Caller> present = new LinkedHashSet<>();
    private int greetings;

    @Override
    public String name() {
        return "greeter";
    }

    @Override
    public void setUp(ServiceSetup setup) {
        setup.command("hello", HelloParams.class, (call, params) -> {
            greetings++;
            setup.channels().publish("greetings", "hello " + params.name());
            for (Caller caller : present) {
                if (!caller.equals(call.caller())) {
                    caller.notify("someone greeted " + params.name());
                }
            }
            return "Hello, " + params.name() + " (#" + greetings + ")";
        });
        setup.asyncCommand("slowHello", HelloParams.class, (call, params) ->
                setup.loop().runOnExecutor(() -> {
                    Thread.sleep(50); // blocking, off the loop
                    return "Hello slowly, " + params.name();
                }, call::complete));
        setup.asyncCommand("recent", RecentParams.class, (call, params) ->
                setup.channels().history("greetings", params.limit(), (history, error) -> {
                    if (error != null) {
                        call.fail(error);
                    } else {
                        call.reply(history.publications().stream().map(entry -> entry.data()).toList());
                    }
                }));
        setup.asyncCommand("helloLater", NoParams.class, (call, params) ->
                setup.loop().runLater(Duration.ofMillis(20), () -> call.reply("later")));
    }

    @Override
    public void onConnect(Caller caller) {
        present.add(caller);
    }

    @Override
    public void onDisconnect(Caller caller) {
        present.remove(caller);
    }
}
