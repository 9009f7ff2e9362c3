package io.squall.snap.sim;

import io.squall.snap.codec.SnapMessage;
import java.util.List;
import java.util.Random;

/**
 * One sensor node like Synapse's SN171 demo: it multicasts {@code status(batteryMillivolts, buttonDown,
 * buttonCount)} to group 1 with TTL 3, and answers the host's {@code setLed(on)} with {@code led(on)} and
 * {@code ping()} with {@code pong(count)}. State is touched from the simulator's threads under its lock.
 */
final class SimulatedNode {
    final int address;
    private final Random random;
    private int batteryMillivolts;
    private boolean buttonDown;
    private int buttonCount;
    private boolean led;
    private int seq;

    SimulatedNode(int address, long seed) {
        this.address = address;
        this.random = new Random(seed);
        this.batteryMillivolts = 3000 + random.nextInt(300);
    }

    synchronized SnapMessage status() {
        batteryMillivolts = Math.max(2000, Math.min(3300, batteryMillivolts + random.nextInt(21) - 10));
        boolean wasDown = buttonDown;
        buttonDown = random.nextInt(5) == 0;
        if (buttonDown && !wasDown) {
            buttonCount = (buttonCount + 1) & 0x7FFF;
        }
        return SnapMessage.multicast(address, 1, 3, nextSeq(), "status",
                List.of(batteryMillivolts, buttonDown, buttonCount));
    }

    /** The node's answer to a host RPC, or null when the function is unknown (SNAP ignores it). */
    synchronized SnapMessage handle(SnapMessage call) {
        switch (call.function()) {
            case "setLed" -> {
                if (call.args().size() != 1) {
                    return null; // SNAP invokes a handler only when the argument count matches
                }
                Object on = call.args().get(0);
                led = on instanceof Boolean b ? b : on instanceof Integer i && i != 0;
                return SnapMessage.unicast(address, call.src(), nextSeq(), "led", List.of(led));
            }
            case "ping" -> {
                return SnapMessage.unicast(address, call.src(), nextSeq(), "pong", List.of(buttonCount));
            }
            default -> {
                return null;
            }
        }
    }

    synchronized boolean led() {
        return led;
    }

    private int nextSeq() {
        seq = (seq + 1) & 0xFF;
        return seq;
    }
}
