package io.squall.core.protocol;

import java.util.List;

/**
 * A backend request body, decoded: one envelope ({@code batch} false) or a JSON array of them, each checked on
 * its own, in order (an empty array gives an empty list).
 */
public record BackendBody(boolean batch, List<Decoded> envelopes) {
    public BackendBody {
        envelopes = List.copyOf(envelopes);
    }
}
