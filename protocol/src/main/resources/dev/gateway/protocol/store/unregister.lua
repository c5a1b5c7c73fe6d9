-- Removes one socket from every key that names it, and leaves the chats it had joined (publishing chat:user-left
-- where it was its user's last socket there). When it was the user's last live socket, marks the user offline and
-- publishes the one presence:offline message of that transition, naming the chats of that last socket so their
-- members hear of it. Idempotent: removing a socket twice (a node and gatewayctl racing) removes and publishes once.
--
-- KEYS[1] ws:connection:{socketId}
-- KEYS[2] ws:user:{userId}:connections
-- KEYS[3] ws:user:{userId}:device:{deviceId}:connections
-- KEYS[4] presence:user:{userId}
-- KEYS[5] presence:online
-- KEYS[6] ws:node:{nodeId}:connections
-- KEYS[7] ws:connection-chats:{socketId}
-- ARGV[1] socketId
-- ARGV[2] userId
-- ARGV[3] channel for the presence:offline message, or '' to remove silently (the node told everyone before)
-- ARGV[4] the presence:offline message (JSON; the chat rooms are added here)
-- ARGV[5] prefix of room channels ('gw:room:'), or '' to leave the chats silently
-- Returns 2 when the user went offline, 1 when the socket was removed, 0 when nothing named it any more.
local removed = redis.call('DEL', KEYS[1])
removed = removed + redis.call('SREM', KEYS[2], ARGV[1])
removed = removed + redis.call('SREM', KEYS[3], ARGV[1])
removed = removed + redis.call('SREM', KEYS[6], ARGV[1])
removed = removed + redis.call('HDEL', KEYS[4], ARGV[1])

local rooms = {}
for _, chatId in ipairs(redis.call('SMEMBERS', KEYS[7])) do
    local room = 'chat:' .. chatId
    rooms[#rooms + 1] = room
    local usersKey = room .. ':users'
    if redis.call('HINCRBY', usersKey, ARGV[2], -1) <= 0 then
        redis.call('HDEL', usersKey, ARGV[2])
        if ARGV[5] ~= '' then
            redis.call('PUBLISH', ARGV[5] .. room,
                '\n{"event":"chat:user-left","data":{"chatId":"' .. chatId .. '","userId":"' .. ARGV[2] .. '"}}')
        end
    end
end
redis.call('DEL', KEYS[7])

if redis.call('EXISTS', KEYS[4]) == 0 and redis.call('ZREM', KEYS[5], ARGV[2]) == 1 then
    local message = ARGV[4]
    if #rooms > 0 then
        local decoded = cjson.decode(message)
        decoded['rooms'] = rooms
        message = cjson.encode(decoded)
    end
    if ARGV[3] ~= '' then
        redis.call('PUBLISH', ARGV[3], message)
    end
    return 2
end
if removed > 0 then
    return 1
end
return 0
