package dev.gateway.protocol.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import redis.clients.jedis.PipeliningBase;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script kept as a resource beside this class and run by its SHA1, loading it on first use (and again after
 * Redis restarts and forgets it).
 */
public final class LuaScript {
    private final String name;
    private final String source;
    private final String sha1;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha1 = sha1(source);
    }

    /** Loads {@code name} from the resources of this package. */
    public static LuaScript load(String name) {
        try (InputStream in = LuaScript.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing Lua script resource " + name);
            }
            return new LuaScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    /** Runs the script, by SHA1 when Redis knows it, else by source (which also makes Redis learn it). */
    public Object eval(UnifiedJedis redis, List<String> keys, List<String> args) {
        try {
            return redis.evalsha(sha1, keys, args);
        } catch (JedisNoScriptException e) {
            return redis.eval(source, keys, args);
        }
    }

    /**
     * Queues the script on a pipeline. The caller calls {@link #prepare(PipeliningBase)} once per pipeline
     * first, so the SHA1 is known to Redis within the same round trip.
     */
    public Response<Object> eval(PipeliningBase pipeline, List<String> keys, List<String> args) {
        return pipeline.evalsha(sha1, keys, args);
    }

    /** Queues SCRIPT LOAD on a pipeline, ahead of {@link #eval(PipeliningBase, List, List)} calls. */
    public void prepare(PipeliningBase pipeline) {
        pipeline.scriptLoad(source, name);
    }

    private static String sha1(String source) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(digest.digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
