package io.squall.server.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.squall.core.Client;
import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.error.CloseCode;
import io.squall.core.error.ErrorName;
import io.squall.core.loop.LoopOverloadedException;
import io.squall.core.rpc.Request;
import io.squall.core.rpc.RpcException;
import io.squall.core.rpc.RpcService;
import io.squall.server.config.AuthConfig;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The private registry's identity service ({@code auth_backend} by default): {@code mintToken} signs a token for
 * an identity, so a backend without a JWT library can log users in; {@code disconnect} closes every public
 * connection of an identity with 4003, on every node when the engine is clustered ({@link ClusterDisconnect}).
 * Loop thread only, like every service.
 */
public final class AuthBackendService extends RpcService {
    private static final Logger log = LoggerFactory.getLogger(AuthBackendService.class);

    /** {@code mintToken}: {@code identity} (required) and {@code ttl} in seconds (optional). */
    static final class MintTokenParams {
        @JsonProperty("identity")
        JsonNode identity;
        @JsonProperty("ttl")
        Long ttl;
    }

    /** {@code disconnect}: the identity whose connections to close. */
    record DisconnectParams(JsonNode identity) {}

    /** {@code mintToken}'s reply: the token and its expiry (ISO-8601, UTC). */
    record MintedToken(String token, String expiresAt) {}

    private final ServiceRegistry publicRegistry;
    private final TokenMinter minter;
    private final AuthConfig config;
    private final Counter minted;
    private final Counter disconnected;
    /** null on the memory engine */
    private final ClusterDisconnect cluster;

    /** A single-node service (the memory engine). */
    public AuthBackendService(AuthConfig config, ServiceContext context, ServiceRegistry publicRegistry,
            TokenMinter minter) {
        this(config, context, publicRegistry, minter, null);
    }

    /** With the engine's service bus: when it is clustered, {@code disconnect} reaches every node. */
    public AuthBackendService(AuthConfig config, ServiceContext context, ServiceRegistry publicRegistry,
            TokenMinter minter, ServiceBus bus) {
        super(config.backendService(), context);
        this.config = config;
        this.publicRegistry = publicRegistry;
        this.minter = minter;
        var meters = context.metrics().registry();
        this.minted = Counter.builder("broker.auth.tokens.minted")
                .description("Tokens minted through the backend")
                .register(meters);
        this.disconnected = Counter.builder("broker.auth.backend.disconnects")
                .description("Connections closed by a backend disconnect")
                .register(meters);
        this.cluster = bus != null && bus.clustered()
                ? new ClusterDisconnect(config.backendService(), context, bus, this::closeLocal) : null;
        commands()
                .addAsync("mintToken", MintTokenParams.class, this::mintToken)
                .addAsync("disconnect", DisconnectParams.class, this::disconnect);
    }

    /** Checks the params on the loop, then signs on the worker pool: an RSA signature takes milliseconds. */
    private void mintToken(Request request, MintTokenParams params) {
        if (params.identity == null || params.identity.isNull()) {
            throw new RpcException(ErrorName.INVALID_PARAMS);
        }
        if (config.identityClaim().equals("sub")
                && (!params.identity.isTextual() || params.identity.textValue().isEmpty())) {
            throw new RpcException(ErrorName.INVALID_IDENTITY); // JWT's sub is a string (RFC 7519 4.1.2)
        }
        Duration ttl = config.tokenTtl();
        if (params.ttl != null) {
            if (params.ttl <= 0) {
                throw new RpcException(ErrorName.INVALID_PARAMS);
            }
            if (params.ttl > config.tokenMaxTtl().toSeconds()) {
                throw new RpcException(ErrorName.TTL_TOO_LONG);
            }
            ttl = Duration.ofSeconds(params.ttl);
        }
        if (!minter.canMint()) {
            throw new RpcException(ErrorName.SIGNING_NOT_CONFIGURED);
        }
        JsonNode identity = params.identity;
        Duration lifetime = ttl;
        context.loop().runBlocking(() -> minter.mint(identity, lifetime), (token, failure) -> {
            if (failure instanceof LoopOverloadedException) {
                request.error(ErrorName.OVERLOADED);
            } else if (failure != null) {
                log.error("{}.mintToken failed for {}", name(), request.client().describe(), failure);
                request.error(ErrorName.INTERNAL_ERROR);
            } else {
                minted.increment();
                request.reply(new MintedToken(token.token(), token.expiresAt().toString()));
            }
        });
    }

    private void disconnect(Request request, DisconnectParams params) {
        if (params.identity() == null || params.identity().isNull()) {
            throw new RpcException(ErrorName.INVALID_PARAMS);
        }
        if (cluster == null) {
            request.reply(closeLocal(params.identity()));
        } else {
            cluster.disconnect(request, params.identity());
        }
    }

    /** Closes this node's public connections of {@code identity}; how many. */
    private int closeLocal(JsonNode identity) {
        List<Client> clients = publicRegistry.clientsWithIdentity(identity);
        for (Client client : clients) {
            client.close(CloseCode.DISCONNECTED_BY_BACKEND);
        }
        disconnected.increment(clients.size());
        return clients.size();
    }
}
