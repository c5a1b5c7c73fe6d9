-- Recovery for chat:join with sinceId: the messages stored after sinceId (exclusive), oldest first, up to a page,
-- and whether the stream still holds everything after sinceId (false when trimming removed some of them; the page
-- then starts at the oldest stored message).
--
-- KEYS[1] chat:{chatId}:messages
-- ARGV[1] sinceId
-- ARGV[2] page size + 1 (one more than returned, to tell whether more follow)
-- Returns {recovered (1/0), entries...} where entries are as XRANGE returns them.
local function older(a, b)
    local ams, aseq = string.match(a, '^(%d+)-(%d+)$')
    local bms, bseq = string.match(b, '^(%d+)-(%d+)$')
    ams, aseq, bms, bseq = tonumber(ams), tonumber(aseq), tonumber(bms), tonumber(bseq)
    return ams < bms or (ams == bms and aseq < bseq)
end
if redis.call('EXISTS', KEYS[1]) == 0 then
    return {1, {}}
end
local recovered = 1
local info = redis.call('XINFO', 'STREAM', KEYS[1])
for i = 1, #info, 2 do
    if info[i] == 'max-deleted-entry-id' and info[i + 1] ~= '0-0' and older(ARGV[1], info[i + 1]) then
        recovered = 0
    end
end
local entries
if recovered == 1 then
    entries = redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[2])
else
    entries = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', ARGV[2])
end
return {recovered, entries}
