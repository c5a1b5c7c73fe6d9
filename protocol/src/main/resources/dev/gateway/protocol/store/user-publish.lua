-- Publishes a room message on a user's room channel and names the nodes that hold the sockets it is for. Every node
-- listens to all users' rooms through one pattern, so PUBLISH's own count (every node) says nothing about the
-- user: the nodes are read from the connection records of the user's sockets (or of one device's). Socket ids are
-- decimal numbers, which key names hold unescaped.
--
-- KEYS[1] ws:user:{userId}:connections, or ws:user:{userId}:device:{deviceId}:connections for one device
-- ARGV[1] the room channel (gw:room:user:{userId})
-- ARGV[2] the room message
-- ARGV[3] the connection record key of a socket without its id (ws:connection:)
-- Returns the distinct serverIds of those sockets' records (whether each node is alive is the caller's question).
redis.call('PUBLISH', ARGV[1], ARGV[2])
local seen, nodes = {}, {}
for _, socketId in ipairs(redis.call('SMEMBERS', KEYS[1])) do
    local record = redis.call('GET', ARGV[3] .. socketId)
    if record then
        local ok, decoded = pcall(cjson.decode, record)
        local node = ok and type(decoded) == 'table' and decoded.serverId
        if type(node) == 'string' and not seen[node] then
            seen[node] = true
            nodes[#nodes + 1] = node
        end
    end
end
return nodes
