package io.squall.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.core.json.Json;
import org.junit.jupiter.api.Test;

/** The heartbeat's JSON across versions: what a newer node adds is ignored, what an older one lacks is absent. */
class HeartbeatJsonTest {
    private final ObjectMapper mapper = Json.mapper();

    @Test
    void a_beat_reads_back_as_it_was_written() {
        ClusterNodes.Node node = new ClusterNodes.Node("n1", "10.0.0.5:8080", 12, 30,
                new ClusterNodes.Activity(3, 4.5, 120.0));
        assertThat(HeartbeatJson.read(mapper, HeartbeatJson.write(mapper, node))).isEqualTo(node);
    }

    @Test
    void a_newer_nodes_fields_are_ignored() {
        String beat = """
                {"nodeId":"n2","address":"h:1","connections":1,"subscriptions":2,"loopQueue":0,
                 "messagesInPerSecond":1.5,"messagesOutPerSecond":3,"version":"9.9","zones":{"a":[1,2]}}""";
        assertThat(HeartbeatJson.read(mapper, beat)).isEqualTo(
                new ClusterNodes.Node("n2", "h:1", 1, 2, new ClusterNodes.Activity(0, 1.5, 3.0)));
    }

    @Test
    void an_older_nodes_beat_without_the_activity_fields_has_no_activity() {
        // exactly what nodes sent before the activity fields existed
        String beat = "{\"nodeId\":\"old\",\"address\":\"h:2\",\"connections\":7,\"subscriptions\":9}";
        ClusterNodes.Node node = HeartbeatJson.read(mapper, beat);
        assertThat(node).isEqualTo(new ClusterNodes.Node("old", "h:2", 7, 9));
        assertThat(node.activity()).isNull();
        assertThat(HeartbeatJson.write(mapper, node)).isEqualTo(beat);
    }

    @Test
    void what_is_not_a_heartbeat_is_refused_with_the_reason() {
        assertThatThrownBy(() -> HeartbeatJson.read(mapper, "{\"nodeId\":")).hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> HeartbeatJson.read(mapper, "[1]")).hasMessage("not a JSON object");
        assertThatThrownBy(() -> HeartbeatJson.read(mapper, "{\"address\":\"h:1\"}")).hasMessage("no nodeId");
        assertThatThrownBy(() -> HeartbeatJson.read(mapper, "{\"nodeId\":\"a\",\"connections\":\"5\"}"))
                .hasMessage("connections is not a count");
        assertThatThrownBy(() -> HeartbeatJson.read(mapper, """
                {"nodeId":"a","loopQueue":1,"messagesInPerSecond":-1,"messagesOutPerSecond":0}"""))
                .hasMessage("messagesInPerSecond is not a rate");
    }
}
