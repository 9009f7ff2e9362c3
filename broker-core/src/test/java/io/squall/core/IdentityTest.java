package io.squall.core;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.squall.core.error.ErrorName;
import io.squall.core.rpc.RpcException;
import io.squall.core.testing.RecordingClient;
import org.junit.jupiter.api.Test;

class IdentityTest {

    @Test
    void require_returns_the_identity_of_an_authenticated_client() {
        assertThat(Identity.require(new RecordingClient().withIdentity(json("{'id':1}")))).isEqualTo(json("{'id':1}"));
    }

    @Test
    void require_answers_not_authenticated_exactly_as_snorky_for_an_anonymous_client() {
        assertThatThrownBy(() -> Identity.require(new RecordingClient()))
                .isInstanceOfSatisfying(RpcException.class,
                        e -> assertThat(e.error().wireName()).isEqualTo("Not authenticated"));
        assertThat(ErrorName.NOT_AUTHENTICATED.wireName()).isEqualTo("Not authenticated");
    }
}
