package org.ringrift.cluster.node;

import io.netty.bootstrap.ServerBootstrap;
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
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ringrift.cluster.contract.views.Json;
import org.ringrift.cluster.contract.views.Views;

/**
 * The HTTP surface: {@code /status}, {@code /health/live}, {@code /health/ready}, {@code /metrics}
 * (read-only, unchanged), and on member nodes the operators' console: the page at {@code /}, its
 * files under {@code /console/}, its JSON API under {@code /api/}.
 */
public final class HttpStatusServer implements AutoCloseable {
  private static final int MAX_INITIAL_LINE_BYTES = 4096;
  private static final int MAX_HEADER_BYTES = 8192;
  private static final int MAX_CHUNK_BYTES = 8192;
  private static final String READ_TIMEOUT = "read-timeout";

  private final StatusSource status;
  private final java.util.function.Supplier<String> metrics;
  private final org.ringrift.cluster.node.guard.EdgeLimits limits;
  private final java.util.Optional<Console> console;
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private Channel channel;

  /**
   * The console on this port: its API, its files, the live event source, and (on a TLS node) the
   * HTTPS context whose client certificate names the caller.
   */
  record Console(ConsoleApi api, ConsoleAssets assets, ConsoleEvents events,
      java.util.Optional<io.netty.handler.ssl.SslContext> tls) {}

  public HttpStatusServer(StatusSource status, java.util.function.Supplier<String> metrics,
      org.ringrift.cluster.node.guard.EdgeLimits limits) {
    this(status, metrics, limits, java.util.Optional.empty());
  }

  HttpStatusServer(StatusSource status, java.util.function.Supplier<String> metrics,
      org.ringrift.cluster.node.guard.EdgeLimits limits, java.util.Optional<Console> console) {
    this.limits = limits;
    this.status = status;
    this.metrics = metrics;
    this.console = console;
  }

  public void start(String host, int port) throws InterruptedException {
    channel = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            // A client that sends nothing (or half a request) is dropped after the read timeout;
            // request line, headers and body are each bounded.
            // On a TLS node the port speaks both: HTTPS (the console, with the caller's certificate)
            // and plain HTTP (so /status, /health and /metrics scrapes stay as they were).
            console.flatMap(Console::tls).ifPresent(ssl -> ch.pipeline().addLast(
                new io.netty.handler.ssl.OptionalSslHandler(ssl)));
            ch.pipeline().addLast(READ_TIMEOUT,
                new io.netty.handler.timeout.ReadTimeoutHandler(limits.httpReadTimeout().toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS));
            ch.pipeline().addLast(
                new HttpServerCodec(MAX_INITIAL_LINE_BYTES, MAX_HEADER_BYTES, MAX_CHUNK_BYTES),
                new HttpObjectAggregator(limits.maxHttpRequestBytes()), new Handler());
          }
        })
        .bind(new InetSocketAddress(host, port)).sync().channel();
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      String path = new QueryStringDecoder(request.uri()).path();
      if (console.isPresent() && !request.decoderResult().isFailure() && path.startsWith("/api/")) {
        consoleApi(ctx, request, path);
        return;
      }
      send(ctx, route(request));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  private static void send(ChannelHandlerContext ctx, FullHttpResponse response) {
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    // Said, not only done: a client that pools connections (Prometheus, java.net.http) would
    // otherwise send its next request on this one as it closes and read no answer.
    response.headers().set(HttpHeaderNames.CONNECTION, io.netty.handler.codec.http.HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  private void consoleApi(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
    Console c = console.get();
    ConsoleCaller caller = caller(ctx);
    QueryStringDecoder query = new QueryStringDecoder(request.uri());
    boolean post = HttpMethod.POST.equals(request.method());
    if (!post && !HttpMethod.GET.equals(request.method())) {
      send(ctx, json(HttpResponseStatus.METHOD_NOT_ALLOWED, error("console API: use GET to read, POST to act")));
      return;
    }
    // A page on another site cannot set this header without a CORS preflight, which this port
    // never grants: a browser holding a client certificate cannot be made to act by a stranger.
    if (post && !request.headers().contains(CONSOLE_HEADER)) {
      send(ctx, json(HttpResponseStatus.FORBIDDEN, error("console actions need the "
          + CONSOLE_HEADER + " header (sent by the console page)")));
      return;
    }
    if (!post && path.equals("/api/events/stream")) {
      java.util.Optional<ConsoleAnswer> refused = c.api().refusal(
          org.ringrift.cluster.proto.AdminServiceGrpc.getWatchEventsMethod(), caller);
      if (refused.isPresent()) {
        send(ctx, answer(refused.get()));
      } else {
        c.events().open(ctx, READ_TIMEOUT);
      }
      return;
    }
    java.util.Map<String, java.util.List<String>> params = new java.util.HashMap<>(query.parameters());
    if (post && request.content().isReadable()) {
      new QueryStringDecoder(request.content().toString(StandardCharsets.UTF_8), false).parameters()
          .forEach((k, v) -> params.merge(k, v, (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList()));
    }
    c.api().handle(post, path, params, caller).whenComplete((answer, error) -> send(ctx,
        error == null ? answer(answer) : answer(ConsoleAnswer.of(error))));
  }

  static final String CONSOLE_HEADER = "X-RingRift-Console";

  private ConsoleCaller caller(ChannelHandlerContext ctx) {
    if (console.flatMap(Console::tls).isEmpty()) {
      return ConsoleCaller.plaintextNode();
    }
    io.netty.handler.ssl.SslHandler ssl = ctx.pipeline().get(io.netty.handler.ssl.SslHandler.class);
    if (ssl == null) {
      return new ConsoleCaller(true, false, java.util.Optional.empty());
    }
    try {
      java.security.cert.Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
      return new ConsoleCaller(true, true, chain.length > 0 && chain[0] instanceof java.security.cert.X509Certificate leaf
          ? org.ringrift.cluster.contract.tls.CertIdentity.of(leaf) : java.util.Optional.empty());
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      return new ConsoleCaller(true, true, java.util.Optional.empty());
    }
  }

  private static FullHttpResponse answer(ConsoleAnswer answer) {
    FullHttpResponse response = json(HttpResponseStatus.valueOf(answer.status()), answer.body());
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    return response;
  }

  private FullHttpResponse route(FullHttpRequest request) {
    if (request.decoderResult().isFailure()) {
      return json(HttpResponseStatus.BAD_REQUEST, error("malformed HTTP request (request line at most "
          + MAX_INITIAL_LINE_BYTES + " bytes, headers at most " + MAX_HEADER_BYTES + " bytes)"));
    }
    if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
      return json(HttpResponseStatus.METHOD_NOT_ALLOWED, error("read-only endpoint: use GET"));
    }
    String path = new QueryStringDecoder(request.uri()).path();
    if (console.isPresent()) {
      java.util.Optional<ConsoleAssets.Asset> asset = console.get().assets().find(path);
      if (asset.isPresent()) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
            Unpooled.wrappedBuffer(asset.get().bytes()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, asset.get().contentType());
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        response.headers().set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'");
        return response;
      }
    }
    return switch (path) {
      case "/status" -> json(HttpResponseStatus.OK, Views.status(status.status()));
      case "/metrics" -> text(HttpResponseStatus.OK, metrics.get(), "text/plain; version=0.0.4; charset=utf-8");
      case "/health/live" -> json(HttpResponseStatus.OK, health(true, "process is running"));
      case "/health/ready" -> {
        StatusService.Readiness readiness = status.readiness();
        yield json(readiness.ready() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
            health(readiness.ready(), readiness.reason()));
      }
      default -> json(HttpResponseStatus.NOT_FOUND, error("no such path: " + path));
    };
  }

  private static Map<String, Object> health(boolean ok, String reason) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ok", ok);
    body.put("reason", reason);
    return body;
  }

  private static Map<String, Object> error(String message) {
    return Map.of("error", message);
  }

  private static FullHttpResponse text(HttpResponseStatus code, String body, String contentType) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, code,
        Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    return response;
  }

  private static FullHttpResponse json(HttpResponseStatus code, Object body) {
    byte[] bytes = (Json.write(body) + "\n").getBytes(StandardCharsets.UTF_8);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, code, Unpooled.wrappedBuffer(bytes));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    return response;
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }
}
