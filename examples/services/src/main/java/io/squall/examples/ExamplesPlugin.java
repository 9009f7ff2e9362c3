package io.squall.examples;

import io.squall.api.PluginConfig;
import io.squall.api.PluginSetting;
import io.squall.api.PluginSetting.Type;
import io.squall.api.ServiceBinding;
import io.squall.api.SquallPlugin;
import io.squall.examples.device.DevicePoller;
import io.squall.examples.device.SimulatedDevice;
import io.squall.examples.slow.SlowHandler;
import java.util.List;

/** The examples as a plugin: drop this module's jar into {@code plugins.dir}. Keys {@code plugin.examples.*}. */
public final class ExamplesPlugin implements SquallPlugin {

    @Override
    public String name() {
        return "examples";
    }

    @Override
    public List<PluginSetting> settings() {
        return List.of(
                new PluginSetting("device.read.time", Type.DURATION, "200ms", "How long each simulated device read blocks."),
                new PluginSetting("device.pause", Type.DURATION, "0ms", "Wait between a reading and the next read."),
                new PluginSetting("device.channel", Type.TEXT, "device/readings", "Channel each reading is published to."),
                new PluginSetting("slow.work", Type.DURATION, "10s", "How long each `slow` call blocks."),
                new PluginSetting("slow.threads", Type.INTEGER, "10", "Threads of the slow handler's pool."),
                new PluginSetting("slow.queue", Type.INTEGER, "3", "Calls waiting for a thread; past them, `Overloaded`."));
    }

    @Override
    public List<ServiceBinding> services(PluginConfig config) {
        return List.of(
                ServiceBinding.publicService(new DevicePoller("device",
                        new SimulatedDevice(config.duration("device.read.time")), config.text("device.channel"),
                        config.duration("device.pause"))),
                ServiceBinding.publicService(new SlowHandler("slow", config.duration("slow.work"),
                        config.integer("slow.threads"), config.integer("slow.queue"))));
    }
}
