-- A socket joins a chat: remembered with the socket (so whoever removes the socket later leaves the chat for it) and
-- counted per user across nodes. The user's first socket in the chat publishes chat:user-joined to the room.
--
-- KEYS[1] ws:connection-chats:{socketId}
-- KEYS[2] chat:{chatId}:users
-- ARGV[1] chatId
-- ARGV[2] userId
-- ARGV[3] TTL of the socket's chat set, seconds
-- ARGV[4] room channel (gw:room:chat:{chatId}), or '' to join silently (a node registering its sockets again)
-- ARGV[5] the chat:user-joined room message
-- Returns 1 when this was the user's first socket in the chat, else 0.
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then
    return 0
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
if redis.call('HINCRBY', KEYS[2], ARGV[2], 1) == 1 then
    if ARGV[4] ~= '' then
        redis.call('PUBLISH', ARGV[4], ARGV[5])
    end
    return 1
end
return 0
