package io.squall.bench.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens client WebSockets on one Netty event loop thread (native epoll where available, else NIO): every subscriber and publisher of a run shares that
 * thread (and so one clock and one core), and per-connection state is just Netty's channel and a small decoder.
 * Connections are spread over several loopback source addresses so that tens of thousands of them never run out
 * of ephemeral ports.
 */
public final class WsConnector implements AutoCloseable {
    /** frames (and backend HTTP replies) larger than this are a protocol error in a benchmark */
    public static final int MAX_FRAME_BYTES = 4 << 20;

    private static final boolean EPOLL = Epoll.isAvailable();

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
            EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    private final List<String> sourceAddresses;
    private final AtomicInteger nextSource = new AtomicInteger();

    /** @param sourceAddresses loopback addresses to connect from, round-robin (e.g. 127.0.0.2 ... 127.0.0.9) */
    public WsConnector(List<String> sourceAddresses) {
        for (String address : sourceAddresses) {
            if (!address.startsWith("127.")) {
                throw new IllegalArgumentException("source addresses must be loopback: " + address);
            }
        }
        this.sourceAddresses = List.copyOf(sourceAddresses);
    }

    /** The single thread every connection of this connector runs on. */
    public EventLoop loop() {
        return group.next();
    }

    public CompletableFuture<WsConnection> connect(WsTarget target, FrameDecoder decoder, Listener listener, int id) {
        CompletableFuture<WsConnection> opened = new CompletableFuture<>();
        HttpHeaders headers = new DefaultHttpHeaders();
        target.headers().forEach(headers::add);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(target.uri())
                .subprotocol(target.subprotocol())
                .customHeaders(headers)
                .maxFramePayloadLength(MAX_FRAME_BYTES)
                .handshakeTimeoutMillis(30_000)
                .dropPongFrames(true)
                .build();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(channelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 << 10),
                                new WebSocketClientProtocolHandler(config),
                                new FrameHandler(decoder, listener, opened, target.text(), id));
                    }
                });
        int port = target.uri().getPort() > 0 ? target.uri().getPort() : 80;
        ChannelFuture connected = bootstrap.connect(new InetSocketAddress(target.uri().getHost(), port),
                new InetSocketAddress(nextSource(), 0));
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                opened.completeExceptionally(f.cause());
            }
        });
        return opened;
    }

    /** The next loopback source address, for any other client this run opens (the backend HTTP one). */
    public String nextSource() {
        if (sourceAddresses.isEmpty()) {
            return "127.0.0.1";
        }
        return sourceAddresses.get(Math.floorMod(nextSource.getAndIncrement(), sourceAddresses.size()));
    }

    /** The socket channel class matching the group's transport (native epoll on Linux, else NIO). */
    public Class<? extends SocketChannel> channelType() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** Which transport the generator runs on, for the log. */
    public static String transport() {
        return EPOLL ? "epoll" : "nio";
    }

    public EventLoopGroup group() {
        return group;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
