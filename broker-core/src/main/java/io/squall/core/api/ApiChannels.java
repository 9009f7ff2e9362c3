package io.squall.core.api;

import io.micrometer.core.instrument.Counter;
import io.squall.api.Channels;
import io.squall.api.ServiceError;
import io.squall.core.ServiceContext;
import io.squall.core.json.JsonKey;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Channels} over the PubSub service's in-process publish path. */
final class ApiChannels implements Channels {
    private static final Logger log = LoggerFactory.getLogger(ApiChannels.class);

    private final ServiceContext context;
    private final ChannelPublisher publisher;
    private final Counter failures;

    ApiChannels(ServiceContext context, ChannelPublisher publisher) {
        this.context = context;
        this.publisher = publisher;
        // the counter PubSub's own in-process publishers count on (same name, same meter)
        this.failures = Counter.builder("broker.pubsub.publish.failures")
                .description("In-process publications the broker refused (engine unavailable), each logged")
                .register(context.metrics().registry());
    }

    @Override
    public void publish(String channel, Object data) {
        publish(channel, data, error -> {
            if (error != null) {
                failures.increment();
                log.warn("publication to {} was not accepted: {}", channel, error.wireName());
            }
        });
    }

    @Override
    public void publish(String channel, Object data, Consumer<ServiceError> onLoop) {
        context.loop().checkInLoop();
        publisher.publish(JsonKey.of(channel), context.codec().toTree(data), (result, failure) ->
                onLoop.accept(ApiFailures.of(failure, "publication to " + channel)));
    }
}
