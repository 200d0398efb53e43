package org.ringrift.cluster.node.guard;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Refuses a call with RESOURCE_EXHAUSTED, before it is parsed, when its caller is over the rate
 * limit. Every call counts once, whatever service it is for (admin, peer, health).
 */
public final class RateLimitInterceptor implements ServerInterceptor {
  private final RateLimiter limiter;
  private final CallerKey callers;
  private final EdgeLimits limits;
  private final Counter overRate;
  private final Counter tooManyCallers;

  public RateLimitInterceptor(EdgeLimits limits, CallerKey callers, MeterRegistry registry) {
    this.limits = limits;
    this.callers = callers;
    this.limiter = new RateLimiter(limits.callsPerSecond(), limits.callBurst(), limits.maxTrackedCallers(),
        System::nanoTime);
    this.overRate = Counter.builder("ringrift_admin_rate_limited_calls_total")
        .description("admin/peer gRPC calls refused because their caller was over --admin-rate-limit")
        .tag("reason", "over_rate").register(registry);
    this.tooManyCallers = Counter.builder("ringrift_admin_rate_limited_calls_total")
        .description("admin/peer gRPC calls refused because their caller was over --admin-rate-limit")
        .tag("reason", "too_many_callers").register(registry);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String caller = callers.of(call.getAttributes(), headers);
    RateLimiter.Verdict verdict = limiter.acquire(caller);
    if (verdict == RateLimiter.Verdict.ALLOWED) {
      return next.startCall(call, headers);
    }
    String message;
    if (verdict == RateLimiter.Verdict.OVER_RATE) {
      overRate.increment();
      message = "rate limit: caller " + caller + " is over --admin-rate-limit " + limits.callsPerSecond()
          + " calls/s (burst --admin-rate-burst " + limits.callBurst() + "); retry later";
    } else {
      tooManyCallers.increment();
      message = "rate limit: this node already tracks --admin-max-callers " + limits.maxTrackedCallers()
          + " active callers; retry later";
    }
    call.close(Status.RESOURCE_EXHAUSTED.withDescription(message), new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
