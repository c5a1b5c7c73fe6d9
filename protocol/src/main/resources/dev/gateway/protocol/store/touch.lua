-- Refreshes one socket after a presence:ping: the TTLs of its connection keys and presence hash, its presence
-- entry, and the user's last-seen score. Never brings a user online: when the connection record is gone
-- (Redis restarted, or the socket was cleaned as expired) it returns 0 and the node registers the socket again.
--
-- KEYS[1] ws:connection:{socketId}
-- KEYS[2] ws:user:{userId}:connections
-- KEYS[3] ws:user:{userId}:device:{deviceId}:connections
-- KEYS[4] presence:user:{userId}
-- KEYS[5] presence:online
-- KEYS[6] ws:connection-chats:{socketId}
-- ARGV[1] socketId
-- ARGV[2] connection TTL, seconds
-- ARGV[3] presence entry (JSON)
-- ARGV[4] presence TTL, milliseconds
-- ARGV[5] now, epoch milliseconds
-- ARGV[6] userId
-- Returns 1 when refreshed, 0 when the socket must be registered again.
if redis.call('EXPIRE', KEYS[1], ARGV[2]) == 0 then
    return 0
end
if redis.call('ZADD', KEYS[5], 'XX', 'CH', ARGV[5], ARGV[6]) == 0 and redis.call('ZSCORE', KEYS[5], ARGV[6]) == false then
    return 0
end
redis.call('EXPIRE', KEYS[2], ARGV[2])
redis.call('EXPIRE', KEYS[3], ARGV[2])
redis.call('EXPIRE', KEYS[6], ARGV[2])
redis.call('HSET', KEYS[4], ARGV[1], ARGV[3])
redis.call('PEXPIRE', KEYS[4], ARGV[4])
return 1
