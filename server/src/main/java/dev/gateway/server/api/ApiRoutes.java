package dev.gateway.server.api;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gateway.protocol.event.ErrorCode;
import dev.gateway.protocol.event.ProtocolException;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import redis.clients.jedis.exceptions.JedisException;

/**
 * What every endpoint of the server API shares, in this order: the key (401 without it, before anything else is
 * looked at), Redis (503 at once while the node's monitor finds it away, rather than a request that waits for a
 * timeout), the endpoint, the mapping of its failures onto the contract's errors, the JSON answer, and one INFO line
 * per request ({@code event=api method=... path=... status=... ms=...}; never the key, never a body).
 */
final class ApiRoutes {
    private static final System.Logger LOG = System.getLogger(ApiRoutes.class.getName());

    private final ApiKey key;
    private final BooleanSupplier redisAvailable;
    private final ObjectMapper mapper;
    private final int maxBodyBytes;

    ApiRoutes(ApiKey key, BooleanSupplier redisAvailable, ObjectMapper mapper, int maxBodyBytes) {
        this.key = key;
        this.redisAvailable = redisAvailable;
        this.mapper = mapper;
        this.maxBodyBytes = maxBodyBytes;
    }

    void route(HttpRouting.Builder routing, Method method, String path, ApiHandler handler) {
        routing.route(method, path, handler(handler));
    }

    /** 404 {@code not_found} for any other path under {@code /api/v1/}, once the key is checked. */
    void fallback(HttpRouting.Builder routing, String... paths) {
        for (String path : paths) {
            routing.any(path, handler(request -> {
                throw ApiError.notFound();
            }));
        }
    }

    private Handler handler(ApiHandler handler) {
        return (req, res) -> {
            long start = System.nanoTime();
            ApiReply reply = call(req, handler);
            write(res, reply);
            LOG.log(System.Logger.Level.INFO, "event=api method={0} path={1} status={2} ms={3} remote={4}",
                    req.prologue().method().text(), req.path().path(), Integer.toString(reply.status().code()),
                    Long.toString(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)),
                    req.remotePeer().host());
        };
    }

    private ApiReply call(ServerRequest req, ApiHandler handler) {
        ApiRequest request = new ApiRequest(req, mapper, maxBodyBytes);
        try {
            if (!key.matches(request.authorization())) {
                throw ApiError.unauthorized();
            }
            if (!redisAvailable.getAsBoolean()) {
                throw ApiError.unavailable();
            }
            return handler.handle(request);
        } catch (ApiError e) {
            return error(e);
        } catch (ProtocolException e) {
            // from the chat service: its VALIDATION is a 400; INTERNAL means storage failed, retryable
            return error(e.code() == ErrorCode.VALIDATION ? ApiError.validation(e.getMessage())
                                                           : ApiError.unavailable(e.getMessage()));
        } catch (JedisException e) {
            LOG.log(System.Logger.Level.WARNING, "event=api-redis-failed path={0} error=\"{1}\"", req.path().path(), e.getMessage());
            return error(ApiError.unavailable());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(ApiError.unavailable());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event=api-failed path=" + req.path().path(), e);
            return error(ApiError.internal());
        }
    }

    private static ApiReply error(ApiError error) {
        return new ApiReply(error.status(), java.util.Optional.of(error.body()));
    }

    private void write(ServerResponse res, ApiReply reply) {
        res.status(reply.status()).header(HeaderNames.CACHE_CONTROL, "no-store");
        if (reply.body().isEmpty()) {
            res.send();
            return;
        }
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(reply.body().get());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unwritable API answer", e);
        }
        res.header(HeaderValues.CONTENT_TYPE_JSON).send(json);
    }
}
