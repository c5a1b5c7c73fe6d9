-- Removes one socket from every key that names it, and leaves the chats it had joined (publishing chat:user-left
-- where it was its user's last socket there). When it was the user's last live socket, marks the user offline and
-- publishes the one presence:offline message of that transition (it names the rooms of the socket's chats, whose
-- members hear of it). Idempotent: removing a socket twice (a node and gatewayctl racing) removes and publishes once.
-- The event stream gets the same happenings, once: socket.closed, chat.user-left per chat, user.offline; a silent
-- removal appends nothing.
--
-- Every name and frame comes finished from the caller, which read the socket's chat set (KEYS[7]) just before. The
-- script first checks that the set still holds exactly those chats; if a join or leave changed it meanwhile, it
-- changes nothing and returns -1, and the caller reads the set again.
--
-- KEYS[1] ws:connection:{socketId}
-- KEYS[2] ws:user:{userId}:connections
-- KEYS[3] ws:user:{userId}:device:{deviceId}:connections
-- KEYS[4] presence:user:{userId}
-- KEYS[5] presence:online
-- KEYS[6] ws:node:{nodeId}:connections
-- KEYS[7] ws:connection-chats:{socketId}
-- KEYS[8] gw:events, the event stream
-- KEYS[8+i] chat:{chatId}:users of the i-th chat in KEYS[7], i = 1..n
-- ARGV[1] socketId
-- ARGV[2] userId
-- ARGV[3] channel for the presence:offline message, or '' to remove silently (the node told everyone before)
-- ARGV[4] the presence:offline message (JSON)
-- ARGV[5] n, the number of chats in KEYS[7]
-- ARGV[6] approximate MAXLEN of the event stream, or 0 when it is off
-- ARGV[7] the socket.closed data (JSON), '' when silent: appended when this call removed the socket
-- ARGV[8] the user.offline data (JSON), '' when silent: appended with the presence:offline message
-- ARGV[5+4i] chatId of the i-th chat
-- ARGV[6+4i] its room channel (gw:room:chat:{chatId}), or '' to leave it silently
-- ARGV[7+4i] its chat:user-left room message
-- ARGV[8+4i] its chat.user-left data (JSON), '' when silent
-- Returns 2 when the user went offline, 1 when the socket was removed, 0 when nothing named it any more, -1 when
-- KEYS[7] does not hold exactly the n chats given (nothing changed).
local chats = tonumber(ARGV[5])
if redis.call('SCARD', KEYS[7]) ~= chats then
    return -1
end
for i = 1, chats do
    if redis.call('SISMEMBER', KEYS[7], ARGV[5 + 4 * i]) == 0 then
        return -1
    end
end

local removed = redis.call('DEL', KEYS[1])
removed = removed + redis.call('SREM', KEYS[2], ARGV[1])
removed = removed + redis.call('SREM', KEYS[3], ARGV[1])
removed = removed + redis.call('SREM', KEYS[6], ARGV[1])
removed = removed + redis.call('HDEL', KEYS[4], ARGV[1])
local events = ARGV[6] ~= '0'
if events and removed > 0 and ARGV[7] ~= '' then
    redis.call('XADD', KEYS[8], 'MAXLEN', '~', ARGV[6], '*', 'type', 'socket.closed', 'data', ARGV[7])
end

for i = 1, chats do
    local users = KEYS[8 + i]
    if redis.call('HINCRBY', users, ARGV[2], -1) <= 0 then
        redis.call('HDEL', users, ARGV[2])
        if ARGV[6 + 4 * i] ~= '' then
            redis.call('PUBLISH', ARGV[6 + 4 * i], ARGV[7 + 4 * i])
        end
        if events and ARGV[8 + 4 * i] ~= '' then
            redis.call('XADD', KEYS[8], 'MAXLEN', '~', ARGV[6], '*', 'type', 'chat.user-left', 'data', ARGV[8 + 4 * i])
        end
    end
end
redis.call('DEL', KEYS[7])

if redis.call('EXISTS', KEYS[4]) == 0 and redis.call('ZREM', KEYS[5], ARGV[2]) == 1 then
    if ARGV[3] ~= '' then
        redis.call('PUBLISH', ARGV[3], ARGV[4])
    end
    if events and ARGV[8] ~= '' then
        redis.call('XADD', KEYS[8], 'MAXLEN', '~', ARGV[6], '*', 'type', 'user.offline', 'data', ARGV[8])
    end
    return 2
end
if removed > 0 then
    return 1
end
return 0
