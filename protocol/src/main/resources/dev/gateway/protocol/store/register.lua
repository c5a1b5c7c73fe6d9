-- Registers one socket: its connection record, the user's and device's socket sets, its presence entry and
-- its node's socket set, all at once. Marks the user online; the caller that does so publishes the one
-- presence:online message of that transition (scripts run one at a time, so exactly one caller sees it).
-- With a cap, a socket new to its user's set is refused, and nothing written, when the user already has that many
-- sockets on all nodes together: counted here, inside the one script, so concurrent handshakes on several nodes
-- never exceed it.
-- The event stream gets socket.opened for a socket new to its user, and user.online with the presence:online message;
-- a silent registration (after Redis lost its data) appends nothing: nothing happened that workers have not seen.
--
-- KEYS[1] ws:connection:{socketId}
-- KEYS[2] ws:user:{userId}:connections
-- KEYS[3] ws:user:{userId}:device:{deviceId}:connections
-- KEYS[4] presence:user:{userId}
-- KEYS[5] presence:online
-- KEYS[6] ws:node:{nodeId}:connections
-- KEYS[7] ws:nodes
-- KEYS[8] gw:events, the event stream
-- ARGV[1] socketId
-- ARGV[2] connection record (JSON)
-- ARGV[3] connection TTL, seconds
-- ARGV[4] presence entry (JSON)
-- ARGV[5] presence TTL, milliseconds
-- ARGV[6] now, epoch milliseconds
-- ARGV[7] userId
-- ARGV[8] nodeId
-- ARGV[9] channel for the presence:online message, or '' to register silently
-- ARGV[10] the presence:online message
-- ARGV[11] most sockets per user, or 0 for no cap (re-registering a socket that is already open)
-- ARGV[12] approximate MAXLEN of the event stream, or 0 when it is off
-- ARGV[13] the socket.opened data (JSON), '' when silent: appended when the socket is new to its user's set
-- ARGV[14] the user.online data (JSON), '' when silent: appended with the presence:online message
-- Returns 1 when this socket took its user from offline to online, 0 when registered otherwise, -1 when refused by
-- the cap.
local cap = tonumber(ARGV[11])
if cap > 0 and redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 and redis.call('SCARD', KEYS[2]) >= cap then
    return -1
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
-- new to the user's set: a socket registered twice (a retry, a recovery) opened once
local opened = redis.call('SADD', KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('EXPIRE', KEYS[3], ARGV[3])
redis.call('HSET', KEYS[4], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[4], ARGV[5])
redis.call('SADD', KEYS[6], ARGV[1])
redis.call('SADD', KEYS[7], ARGV[8])
local added = redis.call('ZADD', KEYS[5], ARGV[6], ARGV[7])
local events = ARGV[12] ~= '0'
if events and opened == 1 and ARGV[13] ~= '' then
    redis.call('XADD', KEYS[8], 'MAXLEN', '~', ARGV[12], '*', 'type', 'socket.opened', 'data', ARGV[13])
end
if added == 1 and ARGV[9] ~= '' then
    redis.call('PUBLISH', ARGV[9], ARGV[10])
    if events and ARGV[14] ~= '' then
        redis.call('XADD', KEYS[8], 'MAXLEN', '~', ARGV[12], '*', 'type', 'user.online', 'data', ARGV[14])
    end
end
return added
