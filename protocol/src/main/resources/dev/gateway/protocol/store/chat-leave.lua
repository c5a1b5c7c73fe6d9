-- A socket leaves a chat. The user's last socket in the chat publishes chat:user-left to the room and appends
-- chat.user-left to the event stream.
--
-- KEYS[1] ws:connection-chats:{socketId}
-- KEYS[2] chat:{chatId}:users
-- KEYS[3] gw:events, the event stream
-- ARGV[1] chatId
-- ARGV[2] userId
-- ARGV[3] room channel (gw:room:chat:{chatId})
-- ARGV[4] the chat:user-left room message
-- ARGV[5] approximate MAXLEN of the event stream, or 0 when it is off
-- ARGV[6] the chat.user-left data (JSON)
-- Returns 1 when this was the user's last socket in the chat, else 0.
if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then
    return 0
end
if redis.call('HINCRBY', KEYS[2], ARGV[2], -1) <= 0 then
    redis.call('HDEL', KEYS[2], ARGV[2])
    redis.call('PUBLISH', ARGV[3], ARGV[4])
    if ARGV[5] ~= '0' and ARGV[6] ~= '' then
        redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[5], '*', 'type', 'chat.user-left', 'data', ARGV[6])
    end
    return 1
end
return 0
