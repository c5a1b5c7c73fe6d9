-- Marks a user offline ('expired') when no live socket refreshed their presence hash within the TTL, so the hash
-- lapsed while presence:online still lists them. Publishes the one presence:offline message of the transition, and
-- appends its user.offline entry to the event stream.
--
-- KEYS[1] presence:user:{userId}
-- KEYS[2] presence:online
-- KEYS[3] gw:events, the event stream
-- ARGV[1] userId
-- ARGV[2] the newest last-seen score (epoch ms) that counts as lapsed
-- ARGV[3] channel for the presence:offline message
-- ARGV[4] the presence:offline message
-- ARGV[5] approximate MAXLEN of the event stream, or 0 when it is off
-- ARGV[6] the user.offline data (JSON)
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
if ARGV[5] ~= '0' and ARGV[6] ~= '' then
    redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[5], '*', 'type', 'user.offline', 'data', ARGV[6])
end
return 1
