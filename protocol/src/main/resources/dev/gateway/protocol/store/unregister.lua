-- Removes one socket from every key that names it. When it was the user's last live socket, marks the user
-- offline and publishes the one presence:offline message of that transition. Idempotent: removing a socket
-- twice (a node and gatewayctl racing) removes and publishes once.
--
-- KEYS[1] ws:connection:{socketId}
-- KEYS[2] ws:user:{userId}:connections
-- KEYS[3] ws:user:{userId}:device:{deviceId}:connections
-- KEYS[4] presence:user:{userId}
-- KEYS[5] presence:online
-- KEYS[6] ws:node:{nodeId}:connections
-- ARGV[1] socketId
-- ARGV[2] userId
-- ARGV[3] channel for the presence:offline message
-- ARGV[4] the presence:offline message
-- Returns 2 when the user went offline, 1 when the socket was removed, 0 when nothing named it any more.
local removed = redis.call('DEL', KEYS[1])
removed = removed + redis.call('SREM', KEYS[2], ARGV[1])
removed = removed + redis.call('SREM', KEYS[3], ARGV[1])
removed = removed + redis.call('SREM', KEYS[6], ARGV[1])
removed = removed + redis.call('HDEL', KEYS[4], ARGV[1])
if redis.call('EXISTS', KEYS[4]) == 0 and redis.call('ZREM', KEYS[5], ARGV[2]) == 1 then
    redis.call('PUBLISH', ARGV[3], ARGV[4])
    return 2
end
if removed > 0 then
    return 1
end
return 0
