-- Stores one chat message and publishes it to the chat's room channel, in one step: Redis runs one script at a time,
-- so every node receives a room's messages in the order they were stored (the order of their stream ids), whichever
-- node accepted them. A repeated clientMsgId from the same user (within the key's TTL) returns the first messageId
-- and publishes nothing. A stored message is appended to the event stream (chat.message) in the same step, a repeat
-- never.
--
-- KEYS[1] chat:{chatId}:messages
-- KEYS[2] chat:{chatId}:client-msg:{userId}:{clientMsgId}   ('' when the message has no clientMsgId)
-- KEYS[3] gw:events, the event stream
-- ARGV[1] approximate MAXLEN of the stream
-- ARGV[2] senderId
-- ARGV[3] content
-- ARGV[4] type
-- ARGV[5] clientMsgId ('' when none)
-- ARGV[6] createdAt (ISO-8601 UTC)
-- ARGV[7] TTL of the clientMsgId key, seconds
-- ARGV[8] room channel (gw:room:chat:{chatId})
-- ARGV[9..11] the room message around the message id, which goes after ARGV[9] and after ARGV[10]
--          (RoomMessage.storedAroundId): the header's prefix ('m:'), the rest of the header and the frame up to its
--          id, the rest of the frame
-- ARGV[12] approximate MAXLEN of the event stream, or 0 when it is off
-- ARGV[13] chat.message data prefix: the JSON up to the message id
-- ARGV[14] chat.message data suffix: the JSON after the message id
-- Returns {messageId, createdAt, 1} for a new message, {messageId, createdAt, 0} for a repeat.
if KEYS[2] ~= '' then
    local first = redis.call('GET', KEYS[2])
    if first then
        local createdAt = ARGV[6]
        local entry = redis.call('XRANGE', KEYS[1], first, first)
        if entry[1] then
            local fields = entry[1][2]
            for i = 1, #fields, 2 do
                if fields[i] == 'createdAt' then
                    createdAt = fields[i + 1]
                end
            end
        end
        -- a write, so that a WAIT after this script (replicated durability) also covers the first message's store
        redis.call('SET', KEYS[2], first, 'KEEPTTL')
        return {first, createdAt, 0}
    end
end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*',
    'senderId', ARGV[2], 'content', ARGV[3], 'type', ARGV[4], 'clientMsgId', ARGV[5], 'createdAt', ARGV[6])
if KEYS[2] ~= '' then
    redis.call('SET', KEYS[2], id, 'EX', ARGV[7])
end
-- the header line 'm:{id}' (RoomMessage.stored) lets nodes order and deduplicate without reading the frame
redis.call('PUBLISH', ARGV[8], ARGV[9] .. id .. ARGV[10] .. id .. ARGV[11])
-- a repeat returned above: only a stored message reaches the event stream
if ARGV[12] ~= '0' then
    redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[12], '*', 'type', 'chat.message', 'data', ARGV[13] .. id .. ARGV[14])
end
return {id, ARGV[6], 1}
