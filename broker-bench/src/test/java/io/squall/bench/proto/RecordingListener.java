package io.squall.bench.proto;

import io.netty.buffer.ByteBuf;
import io.squall.bench.net.Listener;
import io.squall.bench.net.WsConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Records what a decoder reports. */
final class RecordingListener implements Listener {
    final List<String> payloads = new ArrayList<>();
    final List<String> errors = new ArrayList<>();
    int acks;
    int closed;

    @Override
    public void delivered(ByteBuf buf, int from, int to) {
        payloads.add(buf.toString(from, to - from, StandardCharsets.US_ASCII));
    }

    @Override
    public void acked(WsConnection connection) {
        acks++;
    }

    @Override
    public void failed(WsConnection connection, String error) {
        errors.add(error);
    }

    @Override
    public void closed(WsConnection connection) {
        closed++;
    }
}
