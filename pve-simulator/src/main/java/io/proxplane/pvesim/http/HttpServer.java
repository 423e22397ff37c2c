package io.proxplane.pvesim.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * HTTPS front end (netty). Requests are handed to virtual threads because handlers may block on
 * per-guest locks, configured latencies and the 401 delay, exactly like pveproxy workers do.
 */
public final class HttpServer implements AutoCloseable {
    private final String host;
    private final int requestedPort;
    private final SelfSignedCertificate certificate;
    private final Function<HttpExchange, HttpAnswer> handler;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel channel;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public HttpServer(String host, int port, SelfSignedCertificate certificate, Function<HttpExchange, HttpAnswer> handler) {
        this.host = host;
        this.requestedPort = port;
        this.certificate = certificate;
        this.handler = handler;
    }

    public void start() {
        try {
            SslContext ssl = SslContextBuilder.forServer(certificate.privateKey(), certificate.certificate()).build();
            boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
            ServerBootstrap b = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                            ch.pipeline().addLast(new HttpServerCodec());
                            ch.pipeline().addLast(new HttpObjectAggregator(16 * 1024 * 1024));
                            ch.pipeline().addLast(new RequestHandler());
                        }
                    });
            channel = b.bind(host, requestedPort).sync().channel();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot bind " + host + ":" + requestedPort + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (channel != null) channel.close().syncUninterruptibly();
        if (boss != null) boss.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        if (workers != null) workers.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        executor.shutdownNow();
    }

    private final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            QueryStringDecoder qs = new QueryStringDecoder(req.uri(), StandardCharsets.UTF_8);
            Map<String, String> headers = new HashMap<>();
            req.headers().forEach(h -> headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b2) -> a + "; " + b2));
            byte[] body = ByteBufUtil.getBytes(req.content());
            String remote = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "";
            // The raw path stays percent-encoded: the API layer splits it into segments first.
            String rawPath = req.uri().contains("?") ? req.uri().substring(0, req.uri().indexOf('?')) : req.uri();
            HttpExchange ex = new HttpExchange(req.method().name(), rawPath, qs.parameters(), headers, body, remote);
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            executor.execute(() -> {
                HttpAnswer answer;
                try {
                    answer = handler.apply(ex);
                } catch (RuntimeException e) {
                    String msg = "internal simulator error: " + e;
                    answer = new HttpAnswer(500, msg, ("{\"data\":null,\"message\":\"" + msg.replace("\"", "'") + "\\n\"}")
                            .getBytes(StandardCharsets.UTF_8), "application/json;charset=UTF-8");
                }
                write(ctx, answer, keepAlive);
            });
        }

        private void write(ChannelHandlerContext ctx, HttpAnswer a, boolean keepAlive) {
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    new HttpResponseStatus(a.status(), sanitizeReason(a.reason())), Unpooled.wrappedBuffer(a.body()));
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, a.contentType());
            resp.headers().set(HttpHeaderNames.CONTENT_LENGTH, a.body().length);
            resp.headers().set(HttpHeaderNames.SERVER, "pve-api-daemon/3.0");
            resp.headers().set(HttpHeaderNames.CACHE_CONTROL, "max-age=0");
            resp.headers().set(HttpHeaderNames.PRAGMA, "no-cache");
            String now = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(java.time.ZoneOffset.UTC));
            resp.headers().set(HttpHeaderNames.DATE, now);
            resp.headers().set(HttpHeaderNames.EXPIRES, now);
            // PVE drops keep-alive on every error answer.
            boolean close = a.status() >= 400 || !keepAlive;
            resp.headers().set(HttpHeaderNames.CONNECTION, close ? HttpHeaderValues.CLOSE : HttpHeaderValues.KEEP_ALIVE);
            var f = ctx.writeAndFlush(resp);
            if (close) f.addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static String sanitizeReason(String reason) {
        String r = reason == null ? "" : reason.replaceAll("[\\r\\n]", " ").trim();
        StringBuilder sb = new StringBuilder();
        for (char c : r.toCharArray()) sb.append(c < 0x20 || c > 0x7e ? '?' : c);
        return sb.toString();
    }
}
