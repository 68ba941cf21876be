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
--
-- Time is the server's TIME, never the caller's. Lua numbers are doubles: every value here stays below
-- 2^53, and numbers are written with string.format('%.0f') because redis.call converts numbers with
-- 14 significant digits, which would round a µs timestamp.

local PPM = 1000000
local HEADER = 4
local BLOCK = 8
local GRANTED, CEILING_REACHED, PAUSED, COOLING_DOWN = 0, 1, 2, 3
-- a log key outlives its newest entry's window by this much; a ctl key its latest expiry
local MARGIN_MS = 1000

local function fmt(x)
    return string.format('%.0f', x)
end

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

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])

local function budget(i)
    local o = HEADER + (i - 1) * BLOCK
    return {
        limit = tonumber(ARGV[o + 1]),
        window = tonumber(ARGV[o + 2]),
        ppm = { tonumber(ARGV[o + 3]), tonumber(ARGV[o + 4]), tonumber(ARGV[o + 5]) },
        step_interval = tonumber(ARGV[o + 6]),
        step = tonumber(ARGV[o + 7]),
        reduction_ppm = tonumber(ARGV[o + 8]),
    }
end

-- ol/ou: override limit/until; p0..p2: pause until per priority; cd: cool-down until; tl: throttled limit
local function read_ctl(key)
    local v = redis.call('HMGET', key, 'ol', 'ou', 'p0', 'p1', 'p2', 'cd', 'tl')
    local function n(x)
        return tonumber(x) or 0
    end
    return { ol = n(v[1]), ou = n(v[2]), pause = { n(v[3]), n(v[4]), n(v[5]) }, cd = n(v[6]), tl = n(v[7]) }
end

-- the limit decisions use now: an active override or the configured limit, capped while recovering from a
-- throttle by the reduced limit plus one step per interval since the cool-down ended
local function effective_limit(c, b)
    local base = b.limit
    if c.ou > now then
        base = c.ol
    end
    if c.tl == 0 then
        return base
    end
    local since = now - c.cd
    if since < 0 then
        since = 0
    end
    local recovered = c.tl + idiv(since, b.step_interval) * b.step
    if recovered < base then
        return recovered
    end
    return base
end

local function capacity(ppm, limit)
    return idiv(ppm * limit, PPM)
end

-- Keeps the ctl hash exactly as long as it can change a decision: until its latest pause, override or
-- cool-down ends and, after a throttle, until the effective limit is back at the configured limit (after
-- which a forgotten reduced limit would change nothing). Deletes it when nothing in it matters any more.
local function expire_ctl(key, c, b)
    local last = math.max(c.ou, c.pause[1], c.pause[2], c.pause[3], c.cd)
    if c.tl > 0 and c.tl < b.limit then
        local steps = idiv(b.limit - c.tl + b.step - 1, b.step)
        last = math.max(last, c.cd + steps * b.step_interval)
    end
    if last <= now then
        redis.call('DEL', key)
    else
        redis.call('PEXPIREAT', key, fmt(idiv(last, 1000) + 1 + MARGIN_MS))
    end
end

local op = ARGV[1]

if op == 'decide' then
    local p = tonumber(ARGV[2]) + 1
    local cost = tonumber(ARGV[3])
    local token = ARGV[4]
    local n = #KEYS / 2
    local reason, retry, blocking = GRANTED, -1, 0
    local remaining = {}
    for i = 1, n do
        local log_key = KEYS[2 * i - 1]
        local b = budget(i)
        redis.call('ZREMRANGEBYSCORE', log_key, '-inf', fmt(now - b.window))
        local used = redis.call('ZCARD', log_key)
        local c = read_ctl(KEYS[2 * i])
        local eff = effective_limit(c, b)
        local r, wait = GRANTED, 0
        if c.cd > now then
            r, wait = COOLING_DOWN, c.cd - now
        elseif c.pause[p] > now then
            r, wait = PAUSED, c.pause[p] - now
        else
            local cap = capacity(b.ppm[p], eff)
            if used + cost > cap then
                r = CEILING_REACHED
                if cost > cap then
                    wait = b.window
                else
                    -- room for cost opens when the (used + cost - cap)-th oldest unit leaves the window
                    local idx = used + cost - cap - 1
                    local entry = redis.call('ZRANGE', log_key, idx, idx, 'WITHSCORES')
                    wait = tonumber(entry[2]) + b.window - now
                end
            end
        end
        for q = 1, 3 do
            local room = 0
            if not (c.cd > now or c.pause[q] > now) then
                room = capacity(b.ppm[q], eff) - used
                if r == GRANTED then
                    room = room - cost
                end
            end
            if room < 0 then
                room = 0
            end
            if remaining[q] == nil or room < remaining[q] then
                remaining[q] = room
            end
        end
        if r ~= GRANTED and wait > retry then
            reason, retry, blocking = r, wait, i
        end
    end
    if reason ~= GRANTED then
        return { 0, reason, retry, blocking, remaining[1], remaining[2], remaining[3], now }
    end
    local score = fmt(now)
    local prefix = (p - 1) .. ':' .. token .. ':'
    for i = 1, n do
        local log_key = KEYS[2 * i - 1]
        local b = budget(i)
        -- one member per cost unit, in batches that stay within Lua's limit on unpacked arguments
        local unit = 1
        while unit <= cost do
            local args = {}
            local last = math.min(cost, unit + 999)
            for k = unit, last do
                args[#args + 1] = score
                args[#args + 1] = prefix .. k
            end
            redis.call('ZADD', log_key, unpack(args))
            unit = last + 1
        end
        redis.call('PEXPIRE', log_key, fmt(idiv(b.window + 999, 1000) + MARGIN_MS))
    end
    return { 1, GRANTED, 0, 0, remaining[1], remaining[2], remaining[3], now }
end

local ctl_key = KEYS[2]
local b = budget(1)
local c = read_ctl(ctl_key)

if op == 'throttle' then
    if c.cd <= now then
        -- a burst of 429s from calls in flight lowers the limit once, not once per call
        c.tl = math.max(1, idiv(effective_limit(c, b) * b.reduction_ppm, PPM))
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
    local p = tonumber(ARGV[2])
    c.pause[p + 1] = now + tonumber(ARGV[3])
    redis.call('HSET', ctl_key, 'p' .. p, fmt(c.pause[p + 1]))
elseif op == 'resume' then
    local p = tonumber(ARGV[2])
    c.pause[p + 1] = 0
    redis.call('HDEL', ctl_key, 'p' .. p)
elseif op == 'status' then
    local log_key = KEYS[1]
    redis.call('ZREMRANGEBYSCORE', log_key, '-inf', fmt(now - b.window))
    local usage = { 0, 0, 0 }
    for _, member in ipairs(redis.call('ZRANGE', log_key, 0, -1)) do
        local q = tonumber(string.sub(member, 1, 1)) + 1
        usage[q] = usage[q] + 1
    end
    return { now, effective_limit(c, b), usage[1], usage[2], usage[3], c.ol, c.ou,
             c.pause[1], c.pause[2], c.pause[3], c.cd }
else
    return redis.error_reply('limiter.lua: unknown operation ' .. tostring(op))
end

expire_ctl(ctl_key, c, b)
return { now }
