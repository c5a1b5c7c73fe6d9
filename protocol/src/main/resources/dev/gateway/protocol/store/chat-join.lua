-- A socket joins a chat: remembered with the socket (so whoever removes the socket later leaves the chat for it) and
-- counted per user across nodes. The user's first socket in the chat publishes chat:user-joined to the room and
-- appends chat.user-joined to the event stream.
--
-- KEYS[1] ws:connection-chats:{socketId}
-- KEYS[2] chat:{chatId}:users
-- KEYS[3] gw:events, the event stream
-- ARGV[1] chatId
-- ARGV[2] userId
-- ARGV[3] TTL of the socket's chat set, seconds
-- ARGV[4] room channel (gw:room:chat:{chatId}), or '' to join silently (a node registering its sockets again)
-- ARGV[5] the chat:user-joined room message
-- ARGV[6] approximate MAXLEN of the event stream, or 0 when it is off
-- ARGV[7] the chat.user-joined data (JSON), '' when joining silently
-- Returns 1 when this was the user's first socket in the chat, else 0.
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then
    return 0
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
if redis.call('HINCRBY', KEYS[2], ARGV[2], 1) == 1 then
    if ARGV[4] ~= '' then
        redis.call('PUBLISH', ARGV[4], ARGV[5])
        if ARGV[6] ~= '0' and ARGV[7] ~= '' then
            redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[6], '*', 'type', 'chat.user-joined', 'data', ARGV[7])
        end
    end
    return 1
end
return 0
