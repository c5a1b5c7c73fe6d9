-- Marks a user offline ('expired') when no live socket refreshed their presence hash within the TTL, so the hash
-- lapsed while presence:online still lists them. Publishes the one presence:offline message of the transition.
--
-- KEYS[1] presence:user:{userId}
-- KEYS[2] presence:online
-- ARGV[1] userId
-- ARGV[2] the newest last-seen score (epoch ms) that counts as lapsed
-- ARGV[3] channel for the presence:offline message
-- ARGV[4] the presence:offline message
-- Returns 1 when the user went offline, else 0.
if redis.call('EXISTS', KEYS[1]) == 1 then
    return 0
end
local score = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not score or tonumber(score) > tonumber(ARGV[2]) then
    return 0
end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
