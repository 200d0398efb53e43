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
import org.ringrift.cluster.client.views.Json;
import org.ringrift.cluster.client.views.Views;

/** The read-only HTTP surface: {@code /status}, {@code /health/live}, {@code /health/ready}, {@code /metrics}. */
final class HttpStatusServer implements AutoCloseable {
  private static final int MAX_INITIAL_LINE_BYTES = 4096;
  private static final int MAX_HEADER_BYTES = 8192;
  private static final int MAX_CHUNK_BYTES = 8192;

  private final StatusSource status;
  private final java.util.function.Supplier<String> metrics;
  private final org.ringrift.cluster.node.guard.EdgeLimits limits;
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private Channel channel;

  HttpStatusServer(StatusSource status, java.util.function.Supplier<String> metrics,
      org.ringrift.cluster.node.guard.EdgeLimits limits) {
    this.limits = limits;
    this.status = status;
    this.metrics = metrics;
  }

  void start(String host, int port) throws InterruptedException {
    channel = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            // A client that sends nothing (or half a request) is dropped after the read timeout;
            // request line, headers and body are each bounded.
            ch.pipeline().addLast(
                new io.netty.handler.timeout.ReadTimeoutHandler(limits.httpReadTimeout().toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS),
                new HttpServerCodec(MAX_INITIAL_LINE_BYTES, MAX_HEADER_BYTES, MAX_CHUNK_BYTES),
                new HttpObjectAggregator(limits.maxHttpRequestBytes()), new Handler());
          }
        })
        .bind(new InetSocketAddress(host, port)).sync().channel();
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      FullHttpResponse response = route(request);
      response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
      // Said, not only done: a client that pools connections (Prometheus, java.net.http) would
      // otherwise send its next request on this one as it closes and read no answer.
      response.headers().set(HttpHeaderNames.CONNECTION, io.netty.handler.codec.http.HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
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
