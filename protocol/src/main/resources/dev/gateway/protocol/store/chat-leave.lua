-- A socket leaves a chat. The user's last socket in the chat publishes chat:user-left to the room.
--
-- KEYS[1] ws:connection-chats:{socketId}
-- KEYS[2] chat:{chatId}:users
-- ARGV[1] chatId
-- ARGV[2] userId
-- ARGV[3] room channel (gw:room:chat:{chatId})
-- ARGV[4] the chat:user-left room message
-- Returns 1 when this was the user's last socket in the chat, else 0.
if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then
    return 0
end
if redis.call('HINCRBY', KEYS[2], ARGV[2], -1) <= 0 then
    redis.call('HDEL', KEYS[2], ARGV[2])
    redis.call('PUBLISH', ARGV[3], ARGV[4])
    return 1
end
return 0
