package io.squall.server.config;

import io.squall.core.service.datasync.DataSyncLimits;
import java.util.List;
import java.util.Objects;

/**
 * Which of Snorky's services run, under which names and in which registry, and their limits. A service whose
 * name is empty is off. Backend halves ({@code datasync.backend.service}) always run in the private registry.
 *
 * @param chat the Chat service (default {@code chat}, public)
 * @param chatMaxChannels channels one connection may have joined
 * @param messaging the Messaging service (default {@code messaging}, public)
 * @param messagingMaxNames participant names one connection may hold
 * @param messagingNamesFromIdentity whether a connection may register only its own (string) identity as a name
 * @param cursors the Cursors service (default {@code cursors}, public)
 * @param cursorsMaxDocuments documents one connection may have joined
 * @param datasync the DataSync service (default {@code datasync}, public)
 * @param datasyncBackendService name of DataSync's backend half in the private registry (empty: off)
 * @param datasyncLimits token expiry, delta buffer bound and subscription caps
 * @param datasyncDealers the dealers DataSync serves
 * @param datasyncHistorySize {@code publishDeltas} calls a clustered engine keeps for subscriptions acquired later
 */
public record ServicesConfig(
        Placement chat,
        int chatMaxChannels,
        Placement messaging,
        int messagingMaxNames,
        boolean messagingNamesFromIdentity,
        Placement cursors,
        int cursorsMaxDocuments,
        Placement datasync,
        String datasyncBackendService,
        DataSyncLimits datasyncLimits,
        List<DealerSpec> datasyncDealers,
        int datasyncHistorySize) {

    /** The public (browsers) or the private (backends) registry. */
    public enum Registry { PUBLIC, PRIVATE }

    /** A service's name (empty when it is off) and its registry. */
    public record Placement(String name, Registry registry) {
        public Placement {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(registry, "registry");
        }

        public boolean enabled() {
            return !name.isEmpty();
        }
    }

    public ServicesConfig {
        Objects.requireNonNull(datasyncLimits, "datasyncLimits");
        datasyncDealers = List.copyOf(datasyncDealers);
        atLeastOne("chat.max.channels", chatMaxChannels);
        atLeastOne("messaging.max.names", messagingMaxNames);
        atLeastOne("cursors.max.documents", cursorsMaxDocuments);
        atLeastOne("datasync.history.size", datasyncHistorySize);
        publicOnly("chat", chat);
        publicOnly("cursors", cursors);
    }

    /** Chat and Cursors need an identity, and backend connections have none: there they could never work. */
    private static void publicOnly(String service, Placement placement) {
        if (placement.enabled() && placement.registry() == Registry.PRIVATE) {
            throw new IllegalArgumentException(service + ".registry=private: " + service + " needs an identity, which"
                    + " only public connections have (a token at the handshake); keep it public or turn it off");
        }
    }

    private static void atLeastOne(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, was " + value);
        }
    }
}
