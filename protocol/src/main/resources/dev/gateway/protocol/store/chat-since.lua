-- Recovery for chat:join with sinceId: the messages stored after sinceId (exclusive), oldest first, up to a page,
-- and whether the stream still holds everything after sinceId (false when trimming removed some of them; the page
-- then starts at the oldest stored message).
--
-- KEYS[1] chat:{chatId}:messages
-- ARGV[1] sinceId (ms-seq without leading zeros, below the largest stream id)
-- ARGV[2] page size + 1 (one more than returned, to tell whether more follow)
-- Returns {recovered (1/0), entries...} where entries are as XRANGE returns them.
-- Stream ids are two unsigned 64-bit integers, beyond what a Lua number holds exactly: compared as decimal strings
-- without leading zeros (as Redis writes them, and as the caller passes sinceId), a longer string is the larger.
local function less(a, b)
    if #a ~= #b then
        return #a < #b
    end
    return a < b
end
local function older(a, b)
    local ams, aseq = string.match(a, '^(%d+)-(%d+)$')
    local bms, bseq = string.match(b, '^(%d+)-(%d+)$')
    if ams ~= bms then
        return less(ams, bms)
    end
    return less(aseq, bseq)
end
if redis.call('EXISTS', KEYS[1]) == 0 then
    return {1, {}}
end
-- Something after sinceId is gone when an XDEL removed a newer entry (max-deleted-entry-id), or when trimming
-- removed entries (entries-added > length; Redis 7.0 does not record trimmed ids) and sinceId is older than the
-- oldest entry left: what was between them cannot be told apart, so the client is told it may have lost messages.
local recovered = 1
local info = redis.call('XINFO', 'STREAM', KEYS[1])
local added, length, first = 0, 0, nil
for i = 1, #info, 2 do
    local name, value = info[i], info[i + 1]
    if name == 'max-deleted-entry-id' and value ~= '0-0' and older(ARGV[1], value) then
        recovered = 0
    elseif name == 'entries-added' then
        added = value
    elseif name == 'length' then
        length = value
    elseif name == 'first-entry' and type(value) == 'table' then
        first = value[1]
    end
end
if recovered == 1 and added > length and first and older(ARGV[1], first) then
    recovered = 0
end
local entries
if recovered == 1 then
    entries = redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[2])
else
    entries = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', ARGV[2])
end
return {recovered, entries}
