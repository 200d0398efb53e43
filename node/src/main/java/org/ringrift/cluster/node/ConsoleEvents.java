package org.ringrift.cluster.node;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.ringrift.cluster.contract.views.Json;
import org.ringrift.cluster.contract.views.Views;
import org.ringrift.cluster.proto.Event;

/**
 * The console's live events: server-sent events of what this node applies, one {@code data:} line
 * per event. Like the admin watch, a reader that cannot keep up (its socket is not writable) loses
 * events instead of growing a buffer; each carries its seq, so gaps show. At most
 * {@code maxStreams} readers at once.
 */
final class ConsoleEvents {
  private static final long KEEPALIVE_SECONDS = 15;

  private final Function<Consumer<Event>, Runnable> subscribe;
  private final int maxStreams;
  private final AtomicInteger open = new AtomicInteger();

  ConsoleEvents(Function<Consumer<Event>, Runnable> subscribe, int maxStreams) {
    this.subscribe = subscribe;
    this.maxStreams = maxStreams;
  }

  /** Turns this connection into an event stream; {@code readTimeout} names the handler to drop. */
  void open(ChannelHandlerContext ctx, String readTimeout) {
    if (open.incrementAndGet() > maxStreams) {
      open.decrementAndGet();
      DefaultFullHttpResponse busy = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.TOO_MANY_REQUESTS, Unpooled.wrappedBuffer(Json.write(java.util.Map.of("error",
              "event streams: this node already serves " + maxStreams + " readers (--admin-max-watch-streams)"))
              .getBytes(StandardCharsets.UTF_8)));
      busy.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
      busy.headers().set(HttpHeaderNames.CONTENT_LENGTH, busy.content().readableBytes());
      ctx.writeAndFlush(busy).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    // A stream reader sends nothing after its request; the read timeout is for idle requests.
    if (ctx.pipeline().get(readTimeout) != null) {
      ctx.pipeline().remove(readTimeout);
    }
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    ctx.writeAndFlush(head);
    ctx.writeAndFlush(chunk(": stream open\n\n"));
    Runnable unsubscribe = subscribe.apply(event -> {
      if (ctx.channel().isActive() && ctx.channel().isWritable()) {
        ctx.writeAndFlush(chunk("id: " + event.getSeq() + "\ndata: " + Json.write(Views.event(event)) + "\n\n"));
      }
    });
    ScheduledFuture<?> keepalive = ctx.executor().scheduleAtFixedRate(
        () -> ctx.writeAndFlush(chunk(": keepalive\n\n")), KEEPALIVE_SECONDS, KEEPALIVE_SECONDS, TimeUnit.SECONDS);
    ctx.channel().closeFuture().addListener(f -> {
      unsubscribe.run();
      keepalive.cancel(false);
      open.decrementAndGet();
    });
  }

  private static DefaultHttpContent chunk(String text) {
    return new DefaultHttpContent(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
  }
}
