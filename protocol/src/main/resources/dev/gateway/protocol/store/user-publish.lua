-- Publishes a room message on a user's room channel and tells how many nodes hold the sockets it is for. Every node
-- listens to all users' rooms through one pattern, so PUBLISH's own count (every node) says nothing about the
-- user: the nodes are read from the connection records of the user's sockets (or of one device's).
--
-- KEYS[1] ws:user:{userId}:connections, or ws:user:{userId}:device:{deviceId}:connections for one device
-- ARGV[1] the room channel (gw:room:user:{userId})
-- ARGV[2] the room message
-- ARGV[3] the connection record key of a socket without its id (ws:connection:)
-- Returns the number of distinct serverIds among those sockets' records.
redis.call('PUBLISH', ARGV[1], ARGV[2])
local nodes, count = {}, 0
for _, socketId in ipairs(redis.call('SMEMBERS', KEYS[1])) do
    local record = redis.call('GET', ARGV[3] .. socketId)
    if record then
        local ok, decoded = pcall(cjson.decode, record)
        local node = ok and type(decoded) == 'table' and decoded.serverId
        if type(node) == 'string' and not nodes[node] then
            nodes[node] = true
            count = count + 1
        end
    end
end
return count
