-- The fleet's shared access tokens (ValkeyTokenStore): the two writes that must be atomic. Reads and the lease
-- itself are plain commands (GET; SET lease holder NX PX).
--
-- put: stores a token and ends its fetcher's lease in one step, so that no instance can find the lease gone and
--      the old token still there (and fetch again) in between.
--   KEYS: 1 the token's key, 2 its lease's key (one {token:…} hash tag: one cluster slot)
--   ARGV: 1 'put', 2 the token (an opaque blob), 3 its time to live in ms (> 0), 4 the lease's holder: the lease is
--         deleted only while this holder still has it (a fetcher whose lease expired must not end another's);
--         '' ends no lease
--   reply: 1 when the lease was ended, 0 otherwise
-- delete-if: compare-and-delete: deletes the key only while it still holds exactly the given value, so that a
--      newer token (or another holder's lease) stays
--   KEYS: 1 the key
--   ARGV: 1 'delete-if', 2 the value it must hold
--   reply: 1 when deleted, 0 otherwise
local op = ARGV[1]

if op == 'put' then
    redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
    if ARGV[4] ~= '' and redis.call('GET', KEYS[2]) == ARGV[4] then
        redis.call('DEL', KEYS[2])
        return 1
    end
    return 0
elseif op == 'delete-if' then
    if redis.call('GET', KEYS[1]) == ARGV[2] then
        redis.call('DEL', KEYS[1])
        return 1
    end
    return 0
end
return redis.error_reply('tokens.lua: unknown operation ' .. tostring(op))
