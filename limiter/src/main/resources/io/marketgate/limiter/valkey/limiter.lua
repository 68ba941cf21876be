-- The limiter's rule in Valkey/Redis: the same steps, in the same order and with the same integer
-- arithmetic (parts per million) as io.marketgate.limiter.memory.InMemoryLimiterStore.
--
-- KEYS: for each budget of the call, in the call's order: its log (a sorted set, one member per admitted
--       cost unit, score = admission time in µs) and its ctl (a hash of operator and throttle state).
--       All keys of a call share the {market} hash tag.
-- ARGV: 1 operation: decide | throttle | override | clear | pause | resume | status
--       2..4 operands: decide: priority (0 HIGH, 1 MEDIUM, 2 LOW), cost, caller token
--                      throttle: cool-down µs;  override: limit, ttl µs;  pause: priority, ttl µs;
--                      resume: priority;  clear, status: none
--       then 8 values per budget: limit, window µs, ceiling ppm of HIGH, MEDIUM, LOW,
--                      recovery step interval µs, recovery step in cost units, reduction ppm
-- ctl fields: ol/ou override limit/until, p0..p2 pause until per priority, cd cool-down until,
--             tl throttled limit (the reduced limit recovery starts from; absent when never throttled)
--
-- Time is the server's TIME, never the caller's. Lua numbers are doubles: every value here stays below
-- 2^53, and timestamps are written with string.format('%.0f') because number-to-string conversion in
-- Lua uses 14 significant digits, which would round a µs timestamp.
--
-- The decide path runs on every market call of the fleet, so it is written for speed: no tables or
-- closures beyond what it needs (each one is garbage the server must collect), and only the commands
-- TIME, and per budget ZCOUNT and HMGET (+ ZRANGEBYSCORE for the retry-after of a full ceiling;
-- ZREMRANGEBYSCORE, ZADD and PEXPIRE for a grant). A denial writes nothing at all: expired entries
-- are not counted, and the next grant removes them.

local PPM = 1000000
local HEADER = 4
local BLOCK = 8
local GRANTED, CEILING_REACHED, PAUSED, COOLING_DOWN = 0, 1, 2, 3
-- a log key outlives its newest entry's window by this much; a ctl key its latest expiry
local MARGIN_MS = 1000
local CTL_FIELDS = { 'ol', 'ou', 'p0', 'p1', 'p2', 'cd', 'tl' }

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local op = ARGV[1]

-- floor(a / b) for non-negative integers, exact although the division is in floating point
local function idiv(a, b)
    local q = math.floor(a / b)
    if q * b > a then
        q = q - 1
    elseif (q + 1) * b <= a then
        q = q + 1
    end
    return q
end

-- The limit decisions use now: an active override or the configured limit, capped while recovering from a
-- throttle by the reduced limit plus one step per interval since the cool-down ended.
local function effective_limit(limit, ol, ou, cd, tl, step_interval, step)
    local base = limit
    if ou > now then
        base = ol
    end
    if tl == 0 then
        return base
    end
    local since = now - cd
    if since < 0 then
        since = 0
    end
    local recovered = tl + idiv(since, step_interval) * step
    if recovered < base then
        return recovered
    end
    return base
end

if op == 'decide' then
    local p = tonumber(ARGV[2])
    local cost = tonumber(ARGV[3])
    local n = #KEYS / 2
    local reason, retry, blocking = GRANTED, -1, 0
    local rem1, rem2, rem3
    for i = 1, n do
        local log_key = KEYS[2 * i - 1]
        local o = HEADER + (i - 1) * BLOCK
        local window = tonumber(ARGV[o + 2])
        -- the units in the window (now - window, now]; entries older than that are removed on a grant
        local oldest = '(' .. string.format('%.0f', now - window)
        local used = redis.call('ZCOUNT', log_key, oldest, '+inf')
        local v = redis.call('HMGET', KEYS[2 * i], 'ol', 'ou', 'p0', 'p1', 'p2', 'cd', 'tl')
        local cd = tonumber(v[6]) or 0
        local pause1, pause2, pause3 = tonumber(v[3]) or 0, tonumber(v[4]) or 0, tonumber(v[5]) or 0
        local eff = effective_limit(tonumber(ARGV[o + 1]), tonumber(v[1]) or 0, tonumber(v[2]) or 0, cd,
            tonumber(v[7]) or 0, tonumber(ARGV[o + 6]), tonumber(ARGV[o + 7]))
        local cooling = cd > now
        local paused = (p == 0 and pause1 > now) or (p == 1 and pause2 > now) or (p == 2 and pause3 > now)
        local r, wait = GRANTED, 0
        if cooling then
            r, wait = COOLING_DOWN, cd - now
        elseif paused then
            if p == 0 then
                wait = pause1 - now
            elseif p == 1 then
                wait = pause2 - now
            else
                wait = pause3 - now
            end
            r = PAUSED
        else
            local cap = idiv(tonumber(ARGV[o + 3 + p]) * eff, PPM)
            if used + cost > cap then
                r = CEILING_REACHED
                if cost > cap then
                    wait = window
                else
                    -- room for cost opens when the (used + cost - cap)-th oldest unit leaves the window
                    local idx = used + cost - cap - 1
                    local entry = redis.call('ZRANGEBYSCORE', log_key, oldest, '+inf', 'WITHSCORES', 'LIMIT', idx, 1)
                    wait = tonumber(entry[2]) + window - now
                end
            end
        end
        -- room per priority: its capacity minus the usage (and this call's cost if this budget admits it)
        local taken = used
        if r == GRANTED then
            taken = used + cost
        end
        local room1, room2, room3 = 0, 0, 0
        if not cooling then
            if pause1 <= now then
                room1 = math.max(0, idiv(tonumber(ARGV[o + 3]) * eff, PPM) - taken)
            end
            if pause2 <= now then
                room2 = math.max(0, idiv(tonumber(ARGV[o + 4]) * eff, PPM) - taken)
            end
            if pause3 <= now then
                room3 = math.max(0, idiv(tonumber(ARGV[o + 5]) * eff, PPM) - taken)
            end
        end
        if i == 1 then
            rem1, rem2, rem3 = room1, room2, room3
        else
            rem1, rem2, rem3 = math.min(rem1, room1), math.min(rem2, room2), math.min(rem3, room3)
        end
        if r ~= GRANTED and wait > retry then
            reason, retry, blocking = r, wait, i
        end
    end
    if reason ~= GRANTED then
        return { 0, reason, retry, blocking, rem1, rem2, rem3, now }
    end
    local score = string.format('%.0f', now)
    local member = p .. ':' .. ARGV[4] .. ':'
    for i = 1, n do
        local log_key = KEYS[2 * i - 1]
        local window = tonumber(ARGV[HEADER + (i - 1) * BLOCK + 2])
        redis.call('ZREMRANGEBYSCORE', log_key, '-inf', string.format('%.0f', now - window))
        if cost == 1 then
            redis.call('ZADD', log_key, score, member .. 1)
        else
            -- one member per cost unit, in batches that stay within Lua's limit on unpacked arguments
            local unit = 1
            while unit <= cost do
                local args = {}
                local last = math.min(cost, unit + 999)
                for k = unit, last do
                    args[#args + 1] = score
                    args[#args + 1] = member .. k
                end
                redis.call('ZADD', log_key, unpack(args))
                unit = last + 1
            end
        end
        redis.call('PEXPIRE', log_key, idiv(window + 999, 1000) + MARGIN_MS)
    end
    return { 1, GRANTED, 0, 0, rem1, rem2, rem3, now }
end

-- ---- control and status: one budget (KEYS[1] log, KEYS[2] ctl), not on the hot path

local function fmt(x)
    return string.format('%.0f', x)
end

local log_key, ctl_key = KEYS[1], KEYS[2]
local limit = tonumber(ARGV[HEADER + 1])
local window = tonumber(ARGV[HEADER + 2])
local step_interval = tonumber(ARGV[HEADER + 6])
local step = tonumber(ARGV[HEADER + 7])
local reduction_ppm = tonumber(ARGV[HEADER + 8])

local c = {}
local v = redis.call('HMGET', ctl_key, unpack(CTL_FIELDS))
for i, field in ipairs(CTL_FIELDS) do
    c[field] = tonumber(v[i]) or 0
end

local function effective()
    return effective_limit(limit, c.ol, c.ou, c.cd, c.tl, step_interval, step)
end

if op == 'throttle' then
    if c.cd <= now then
        -- a burst of 429s from calls in flight lowers the limit once, not once per call
        c.tl = math.max(1, idiv(effective() * reduction_ppm, PPM))
    end
    c.cd = math.max(c.cd, now + tonumber(ARGV[2]))
    redis.call('HSET', ctl_key, 'cd', fmt(c.cd), 'tl', fmt(c.tl))
elseif op == 'override' then
    c.ol = tonumber(ARGV[2])
    c.ou = now + tonumber(ARGV[3])
    redis.call('HSET', ctl_key, 'ol', fmt(c.ol), 'ou', fmt(c.ou))
elseif op == 'clear' then
    c.ol, c.ou = 0, 0
    redis.call('HDEL', ctl_key, 'ol', 'ou')
elseif op == 'pause' then
    local field = 'p' .. ARGV[2]
    c[field] = now + tonumber(ARGV[3])
    redis.call('HSET', ctl_key, field, fmt(c[field]))
elseif op == 'resume' then
    local field = 'p' .. ARGV[2]
    c[field] = 0
    redis.call('HDEL', ctl_key, field)
elseif op == 'status' then
    redis.call('ZREMRANGEBYSCORE', log_key, '-inf', fmt(now - window))
    local usage = { 0, 0, 0 }
    for _, member in ipairs(redis.call('ZRANGE', log_key, 0, -1)) do
        local q = tonumber(string.sub(member, 1, 1)) + 1
        usage[q] = usage[q] + 1
    end
    return { now, effective(), usage[1], usage[2], usage[3], c.ol, c.ou, c.p0, c.p1, c.p2, c.cd }
else
    return redis.error_reply('limiter.lua: unknown operation ' .. tostring(op))
end

-- Keep the ctl hash exactly as long as it can change a decision: until its latest pause, override or
-- cool-down ends and, after a throttle, until the effective limit is back at the configured limit (after
-- which a forgotten reduced limit would change nothing). Delete it when nothing in it matters any more.
local last = math.max(c.ou, c.p0, c.p1, c.p2, c.cd)
if c.tl > 0 and c.tl < limit then
    last = math.max(last, c.cd + idiv(limit - c.tl + step - 1, step) * step_interval)
end
if last <= now then
    redis.call('DEL', ctl_key)
else
    redis.call('PEXPIREAT', ctl_key, fmt(idiv(last, 1000) + 1 + MARGIN_MS))
end
return { now }
