package dev.gateway.protocol.store;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.HostAndPort;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RedisEndpointTest {

    @Test
    void aPlainUrlGivesHostPortAndNoCredentials() {
        RedisEndpoint endpoint = RedisEndpoint.parse("redis://cache.internal:6380");

        assertThat(endpoint.hostAndPort().getHost(), is("cache.internal"));
        assertThat(endpoint.hostAndPort().getPort(), is(6380));
        assertThat(endpoint.user(), is(Optional.empty()));
        assertThat(endpoint.password(), is(Optional.empty()));
        assertThat(endpoint.database(), is(0));
        assertThat(endpoint.tls(), is(false));
    }

    @Test
    void aUrlWithoutPortUsesTheDefaultPort() {
        assertThat(RedisEndpoint.parse("redis://cache.internal").hostAndPort().getPort(), is(6379));
    }

    @Test
    void theRedissSchemeTurnsTlsOn() {
        RedisEndpoint endpoint = RedisEndpoint.parse("rediss://cache.example.com:6380");

        assertThat(endpoint.tls(), is(true));
        assertThat(endpoint.hostAndPort().getPort(), is(6380));
    }

    @Test
    void userAndPasswordAreReadFromTheUserInfo() {
        RedisEndpoint endpoint = RedisEndpoint.parse("redis://alice:s3cret@cache:7000");

        assertThat(endpoint.user(), is(Optional.of("alice")));
        assertThat(endpoint.password(), is(Optional.of("s3cret")));
    }

    @Test
    void aPasswordWithoutUserLeavesTheUserEmpty() {
        RedisEndpoint endpoint = RedisEndpoint.parse("redis://:s3cret@cache");

        assertThat(endpoint.user(), is(Optional.empty()));
        assertThat(endpoint.password(), is(Optional.of("s3cret")));
    }

    @Test
    void aPercentEncodedPasswordIsDecoded() {
        assertThat(RedisEndpoint.parse("redis://alice:p%40ss%2Fw@cache").password(), is(Optional.of("p@ss/w")));
    }

    @Test
    void thePathSelectsTheDatabaseNumber() {
        assertThat(RedisEndpoint.parse("redis://alice:s3cret@cache:7000/3").database(), is(3));
    }

    @Test
    void maskedHidesThePassword() {
        RedisEndpoint endpoint = RedisEndpoint.parse("redis://alice:s3cret@cache:7000/3");

        assertThat(endpoint.masked(), is("redis://alice:***@cache:7000/3"));
    }

    @Test
    void maskedHidesAPasswordGivenWithoutUser() {
        assertThat(RedisEndpoint.parse("rediss://:s3cret@cache").masked(), is("rediss://:***@cache"));
    }

    @Test
    void maskedLeavesAUrlWithoutPasswordAsItIs() {
        assertThat(RedisEndpoint.parse("redis://localhost:6379").masked(), is("redis://localhost:6379"));
    }

    @Test
    void theDefaultLocalAddressIsRecognised() {
        assertThat(RedisEndpoint.parse(RedisEndpoint.DEFAULT_URL).isLocalDefault(), is(true));
        assertThat(RedisEndpoint.parse("redis://127.0.0.1").isLocalDefault(), is(true));
        assertThat(RedisEndpoint.parse("rediss://localhost:6379").isLocalDefault(), is(false));
        assertThat(RedisEndpoint.parse("redis://localhost:6380").isLocalDefault(), is(false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://alice:s3cret@cache:6379", "tcp://:s3cret@cache"})
    void aBadSchemeIsRefusedWithAMessageWithoutThePassword(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.parse(url));

        assertThat(e.getMessage(), not(containsString("s3cret")));
    }

    @Test
    void aBadSchemeIsRefusedWithAMessageThatSaysWhatIsExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                                  () -> RedisEndpoint.parse("http://alice:s3cret@cache"));

        assertThat(e.getMessage(), is("Redis URL must start with redis://, rediss:// or redis-sentinel://, got http://alice:***@cache"));
    }

    @Test
    void anUnparsableUrlIsRefusedWithAMessageWithoutThePassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                                  () -> RedisEndpoint.parse("redis://alice:s3cret@ca che"));

        assertThat(e.getMessage(), not(containsString("s3cret")));
    }

    @Test
    void aUrlWithoutHostIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.parse("redis://"));
    }

    @Test
    void aPasswordWithAnUnencodedAtSignIsNotLeakedByTheErrorMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                                  () -> RedisEndpoint.parse("redis://alice:pa@ss3cret@cache"));

        assertThat(e.getMessage(), not(containsString("ss3cret")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice:s3cret@cache:6379", "redis:/alice:s3cret@cache"})
    void aUrlWithoutSchemeSlashesIsRefusedWithAMessageWithoutThePassword(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.parse(url));

        assertThat(e.getMessage(), not(containsString("s3cret")));
    }

    @Test
    void aSentinelUrlNamesTheSentinelsAndTheMaster() {
        RedisEndpoint endpoint = RedisEndpoint.parse("redis-sentinel://s1.internal:26379,s2.internal:26380,10.0.0.3:26381/mymaster");

        assertThat(endpoint.sentinel().orElseThrow().masterName(), is("mymaster"));
        assertThat(endpoint.sentinel().orElseThrow().sentinels(),
                   is(List.of(new HostAndPort("s1.internal", 26379), new HostAndPort("s2.internal", 26380),
                              new HostAndPort("10.0.0.3", 26381))));
        assertThat(endpoint.database(), is(0));
        assertThat(endpoint.user(), is(Optional.empty()));
        assertThat(endpoint.isLocalDefault(), is(false));
    }

    @Test
    void aSentinelUrlCarriesTheMastersCredentialsAndDatabase() {
        RedisEndpoint endpoint = RedisEndpoint.parse("redis-sentinel://alice:p%40ss@s1:26379,s2:26379/mymaster/2");

        assertThat(endpoint.user(), is(Optional.of("alice")));
        assertThat(endpoint.password(), is(Optional.of("p@ss")));
        assertThat(endpoint.database(), is(2));
        assertThat(endpoint.masked(), is("redis-sentinel://alice:***@s1:26379,s2:26379/mymaster/2"));
    }

    @Test
    void aSentinelWithoutPortUsesTheSentinelPort() {
        assertThat(RedisEndpoint.parse("redis-sentinel://s1/mymaster").sentinel().orElseThrow().sentinels(),
                   is(List.of(new HostAndPort("s1", 26379))));
    }

    @Test
    void aPlainUrlHasNoSentinel() {
        assertThat(RedisEndpoint.parse("redis://cache:6379").sentinel(), is(Optional.empty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis-sentinel://:s3cret@s1:26379", "redis-sentinel://:s3cret@s1:26379/",
                            "redis-sentinel://:s3cret@s1:26379,/mymaster", "redis-sentinel://:s3cret@s1:port/mymaster",
                            "redis-sentinel://:s3cret@s1:26379/mymaster/x", "redis-sentinel://:s3cret@s1:26379/mymaster/1/2",
                            "redis-sentinel://:s3cret@s1:99999/mymaster"})
    void aBadSentinelUrlIsRefusedWithAMessageWithoutThePassword(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.parse(url));

        assertThat(e.getMessage(), not(containsString("s3cret")));
        assertThat(e.getMessage(), containsString("Sentinel"));
    }

    @Test
    void toStringDoesNotShowThePassword() {
        assertThat(RedisEndpoint.parse("redis://alice:s3cret@cache").toString(), not(containsString("s3cret")));
    }
}
