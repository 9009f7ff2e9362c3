package io.squall.server.security;

import static io.squall.core.testing.Jsons.json;
import static io.squall.server.security.AuthenticatorTest.config;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.error.CloseCode;
import io.squall.core.json.Json;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.protocol.Envelope;
import io.squall.core.testing.RecordingClient;
import io.squall.core.testing.ServiceContexts;
import io.squall.server.config.AuthConfig;
import io.squall.server.testing.Jwts;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthBackendServiceTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @TempDir
    Path dir;

    private final ManualEventLoop loop = new ManualEventLoop();
    private final ServiceContext context = ServiceContexts.create(loop, InstantSource.fixed(NOW));
    private final ServiceRegistry publicRegistry = new ServiceRegistry("public", context);
    private final ServiceRegistry privateRegistry = new ServiceRegistry("private", context);
    private final RecordingClient backend = new RecordingClient("backend");
    private Authenticator authenticator;

    private void start(String... flags) {
        AuthConfig config = config(flags);
        JwtKeys keys = JwtKeys.load(config);
        authenticator = new Authenticator(config, keys, InstantSource.fixed(NOW), Json.mapper(), new SimpleMeterRegistry());
        privateRegistry.register(new AuthBackendService(config, context, publicRegistry,
                new TokenMinter(config, keys, InstantSource.fixed(NOW), Json.mapper())));
    }

    private JsonNode call(String command, String params) {
        int before = backend.messages().size();
        privateRegistry.dispatch(backend, new Envelope("auth_backend",
                json("{'command':'" + command + "','params':" + params + ",'callId':1}")));
        loop.runPending(); // minting signs on the worker pool
        assertThat(backend.messages()).hasSize(before + 1);
        return backend.messages().get(before).get("message");
    }

    private String error(String command, String params) {
        JsonNode reply = call(command, params);
        assertThat(reply.get("type").asText()).as(reply.toString()).isEqualTo("error");
        return reply.get("message").asText();
    }

    @Test
    void minted_token_is_accepted_at_the_handshake_with_its_identity() {
        start("auth.jwt.secret=" + Jwts.SECRET, "auth.jwt.issuer=squall-test", "auth.jwt.audience=app");

        JsonNode data = call("mintToken", "{'identity':'alice'}").get("data");

        assertThat(data.get("expiresAt").asText()).isEqualTo(NOW.plusSeconds(3600).toString());
        assertThat(authenticator.authenticate(Optional.of(data.get("token").asText())))
                .isEqualTo(new AuthResult.Authenticated(json("'alice'")));
    }

    @Test
    void ttl_is_honoured_up_to_the_configured_maximum() {
        start("auth.jwt.secret=" + Jwts.SECRET, "auth.token.max.ttl=2h");

        assertThat(call("mintToken", "{'identity':'alice','ttl':60}").get("data").get("expiresAt").asText())
                .isEqualTo(NOW.plusSeconds(60).toString());
        assertThat(error("mintToken", "{'identity':'alice','ttl':7201}")).isEqualTo("TTL too long");
        assertThat(error("mintToken", "{'identity':'alice','ttl':0}")).isEqualTo("Invalid params");
        assertThat(error("mintToken", "{'identity':'alice','ttl':'60'}")).isEqualTo("Invalid params");
        assertThat(error("mintToken", "{'identity':'alice','ttl':1.5}")).isEqualTo("Invalid params");
    }

    @Test
    void params_are_checked() {
        start("auth.jwt.secret=" + Jwts.SECRET);

        assertThat(error("mintToken", "{}")).isEqualTo("Invalid params");
        assertThat(error("mintToken", "{'identity':null}")).isEqualTo("Invalid params");
        assertThat(error("mintToken", "{'identity':'alice','role':'admin'}")).isEqualTo("Invalid params");
        assertThat(error("mintToken", "{'identity':{'id':1}}")).as("sub is a string").isEqualTo("Invalid identity");
        assertThat(error("mintToken", "{'identity':''}")).isEqualTo("Invalid identity");
        assertThat(error("disconnect", "{}")).isEqualTo("Invalid params");
    }

    @Test
    void a_custom_identity_claim_can_carry_a_json_identity() {
        start("auth.jwt.secret=" + Jwts.SECRET, "auth.identity.claim=user");

        String token = call("mintToken", "{'identity':{'id':7,'name':'Alice'}}").get("data").get("token").asText();

        assertThat(authenticator.authenticate(Optional.of(token)))
                .isEqualTo(new AuthResult.Authenticated(json("{'id':7,'name':'Alice'}")));
    }

    @Test
    void with_only_a_public_key_minting_answers_a_clear_error() {
        Path pem = Jwts.writePublicPem(dir.resolve("rsa.pem"), Jwts.rsa(2048));
        start("auth.jwt.public.key=" + pem);

        assertThat(error("mintToken", "{'identity':'alice'}")).isEqualTo("Token signing not configured");
    }

    @Test
    void an_ec_private_key_mints_es256_tokens_its_public_key_accepts() {
        KeyPair ec = Jwts.ec("secp256r1");
        start("auth.jwt.private.key=" + Jwts.writePrivatePem(dir.resolve("ec-key.pem"), ec),
                "auth.jwt.public.key=" + Jwts.writePublicPem(dir.resolve("ec.pem"), ec));

        String token = call("mintToken", "{'identity':'bob'}").get("data").get("token").asText();

        assertThat(token).startsWith("eyJ");
        assertThat(authenticator.authenticate(Optional.of(token))).isEqualTo(new AuthResult.Authenticated(json("'bob'")));
    }

    @Test
    void disconnect_closes_every_connection_of_the_identity_with_4003_and_answers_the_count() {
        start("auth.jwt.secret=" + Jwts.SECRET);
        RecordingClient phone = new RecordingClient("phone").withIdentity(json("'alice'"));
        RecordingClient laptop = new RecordingClient("laptop").withIdentity(json("'alice'"));
        RecordingClient bob = new RecordingClient("bob").withIdentity(json("'bob'"));
        RecordingClient anonymous = new RecordingClient("anonymous");
        for (RecordingClient client : new RecordingClient[] {phone, laptop, bob, anonymous}) {
            publicRegistry.connected(client);
        }

        assertThat(call("disconnect", "{'identity':'alice'}").get("data").asInt()).isEqualTo(2);
        assertThat(phone.closedWith()).isEqualTo(CloseCode.DISCONNECTED_BY_BACKEND);
        assertThat(laptop.closedWith()).isEqualTo(CloseCode.DISCONNECTED_BY_BACKEND);
        assertThat(bob.closedWith()).isNull();
        assertThat(anonymous.closedWith()).isNull();
        assertThat(call("disconnect", "{'identity':'carol'}").get("data").asInt()).isZero();
    }
}
