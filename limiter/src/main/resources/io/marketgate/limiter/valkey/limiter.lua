-- The limiter's rule in Valkey/Redis: the same steps, in the same order and with the same integer
-- arithmetic (parts per million) as io.marketgate.limiter.memory.InMemoryLimiterStore.
--
-- decide: one script call decides a batch of calls of one market, strictly in order, each exactly as if it
-- had been its own script call at the same server TIME (ValkeyLimiterStore coalesces concurrent calls).
--   KEYS: for each budget of the batch: its log (a sorted set, one member per admitted cost unit, score =
--         admission time in µs) and its ctl (a hash of operator and throttle state); then, once each, the
--         ctl of the configured budget of every instance in the batch (coupang/vendor for coupang/vendor:V1).
--         All keys share the {market} hash tag.
--   ARGV: 1 'decide', 2 the number of budgets nb
--         then 8 values per budget, in KEYS order: limit, window µs, ceiling ppm of HIGH, MEDIUM, LOW,
--              recovery step interval µs, recovery step in cost units, and the position in KEYS of its
--              configured budget's ctl (0 for a budget that is not an instance)
--         then per call, oldest first: priority (0 HIGH, 1 MEDIUM, 2 LOW), cost, caller token, k, and k
--              budget numbers (1-based, in the call's order); k = 0 means all budgets of the batch in KEYS order
--   reply: { now, then 6 values per call: reason (0 granted), retry-after µs, blocking budget (its position in
--          the call's budgets, 0 when granted), remaining room of HIGH, MEDIUM, LOW }
-- throttle | override | clear | pause | resume | status: one budget (KEYS log, ctl, and for an instance the
--         configured budget's ctl, which only status reads)
--   ARGV: 1 operation, 2..4 operands: throttle: cool-down µs;  override: limit, ttl µs;  pause: priority,
--         ttl µs;  resume: priority;  clear, status: none
--         then 8 values: limit, window µs, ceiling ppm of HIGH, MEDIUM, LOW, recovery step interval µs,
--         recovery step in cost units, reduction ppm
-- ctl fields: ol/ou override limit/until, p0..p2 pause until per priority, cd cool-down until,
--             tl throttled limit (the reduced limit recovery starts from; absent when never throttled)
-- An instance (coupang/vendor:V1) also obeys the operator's state of its configured budget (coupang/vendor):
-- a priority is paused while either pauses it, and the limit is the instance's own override while one is
-- active, else the configured budget's. Cool-downs and throttled limits stay the instance's own.
--
-- Time is the server's TIME, never the caller's. Lua numbers are doubles: every value here stays below
-- 2^53. Numbers handed to redis.call are converted exactly (%.17g); only number-to-string conversion in Lua
-- itself (tostring, ..) uses 14 significant digits, which would round a µs timestamp: fmt() where needed.
--
-- The decide path runs on every market call of the fleet, so it is written for speed: locals instead of
-- globals, one small table of state per budget, no closures, and per batch: TIME, and per budget ZCARD,
-- ZCOUNT and HGETALL (+ one HGETALL per configured budget of the batch's instances; + ZRANGEBYSCORE for the retry-after of a full ceiling, one per distinct unit looked
-- up; and for a budget with grants one variadic ZADD and one PEXPIRE). A denial writes nothing at all.
-- Expired entries are never counted (the count subtracts them, and the retry-after lookup takes the score
-- range of the window), so a grant trims them (ZREMRANGEBYSCORE) only once there are TRIM_AT of them:
-- after a grant a log holds fewer than TRIM_AT expired entries (and the key expires 1 s after the window of
-- its last grant); status trims too.

-- a grant removes its budget's expired entries once there are this many
local TRIM_AT = 16
local tonumber = tonumber
local floor = math.floor
local call = redis.call
local argv = ARGV
local keys = KEYS

local time = call('TIME')
local now = time[1] * 1000000 + time[2]

if argv[1] == 'decide' then
    local nb = tonumber(argv[2])
    -- the operator's state of configured budgets, per position in KEYS: { p0, p1, p2, ol, ou }
    local tctl = {}
    -- per budget b, st[b] = { 1 units in the window (with this batch's grants so far), 2 units in the window
    -- before this batch, 3 window, 4 lowest score in the window, 5 cool-down until, 6..8 pause until per
    -- priority, 9..11 capacity per priority, 12..14 room base per priority (the capacity, or a large negative
    -- number while cooling down or paused), 15 the unit number looked up last, 16 its score, 17 ZADD
    -- arguments waiting, 18 expired entries still in the log }
    local st = {}
    for b = 1, nb do
        local o = 2 + (b - 1) * 8
        local limit, window = tonumber(argv[o + 1]), tonumber(argv[o + 2])
        local log_key = keys[2 * b - 1]
        -- the units in the window (now - window, now]: ZCARD less the expired entries, which are few
        -- (trimmed on grants) and which ZCOUNT from -inf counts without walking the whole log (unlike a
        -- ZCOUNT of the window, which is linear in a small, listpack-encoded log)
        local used, stale = call('ZCARD', log_key), 0
        if used > 0 then
            stale = call('ZCOUNT', log_key, '-inf', now - window)
            used = used - stale
        end
        local cd, p0, p1, p2, ol, ou, tl = 0, 0, 0, 0, 0, 0, 0
        local h = call('HGETALL', keys[2 * b])
        for j = 1, #h, 2 do
            local f, x = h[j], tonumber(h[j + 1])
            if f == 'cd' then cd = x
            elseif f == 'p0' then p0 = x
            elseif f == 'p1' then p1 = x
            elseif f == 'p2' then p2 = x
            elseif f == 'ol' then ol = x
            elseif f == 'ou' then ou = x
            elseif f == 'tl' then tl = x
            end
        end
        local ti = tonumber(argv[o + 8])
        if ti ~= 0 then
            local t = tctl[ti]
            if not t then
                t = { 0, 0, 0, 0, 0 }
                local th = call('HGETALL', keys[ti])
                for j = 1, #th, 2 do
                    local f, x = th[j], tonumber(th[j + 1])
                    if f == 'p0' then t[1] = x
                    elseif f == 'p1' then t[2] = x
                    elseif f == 'p2' then t[3] = x
                    elseif f == 'ol' then t[4] = x
                    elseif f == 'ou' then t[5] = x
                    end
                end
                tctl[ti] = t
            end
            if t[1] > p0 then p0 = t[1] end
            if t[2] > p1 then p1 = t[2] end
            if t[3] > p2 then p2 = t[3] end
            if ou <= now and t[5] > now then
                ol, ou = t[4], t[5]
            end
        end
        -- the effective limit: an active override or the configured limit, capped while recovering from a
        -- throttle by the reduced limit plus one step per interval since the cool-down ended
        local eff = limit
        if ou > now then
            eff = ol
        end
        if tl ~= 0 then
            local since, interval = now - cd, tonumber(argv[o + 6])
            if since < 0 then
                since = 0
            end
            -- floor(since / interval), exact although the division is in floating point
            local q = floor(since / interval)
            if q * interval > since then
                q = q - 1
            elseif (q + 1) * interval <= since then
                q = q + 1
            end
            local recovered = tl + q * tonumber(argv[o + 7])
            -- recovery ends at the configured limit: from then on an override applies in full
            if recovered < limit and recovered < eff then
                eff = recovered
            end
        end
        -- floor(ceiling ppm * eff / 10^6) per priority, exact as above
        local x0, x1, x2 = tonumber(argv[o + 3]) * eff, tonumber(argv[o + 4]) * eff, tonumber(argv[o + 5]) * eff
        local c0, c1, c2 = floor(x0 / 1000000), floor(x1 / 1000000), floor(x2 / 1000000)
        if c0 * 1000000 > x0 then c0 = c0 - 1 elseif (c0 + 1) * 1000000 <= x0 then c0 = c0 + 1 end
        if c1 * 1000000 > x1 then c1 = c1 - 1 elseif (c1 + 1) * 1000000 <= x1 then c1 = c1 + 1 end
        if c2 * 1000000 > x2 then c2 = c2 - 1 elseif (c2 + 1) * 1000000 <= x2 then c2 = c2 + 1 end
        local r0, r1, r2 = c0, c1, c2
        if cd > now then
            r0, r1, r2 = -1e15, -1e15, -1e15
        else
            if p0 > now then r0 = -1e15 end
            if p1 > now then r1 = -1e15 end
            if p2 > now then r2 = -1e15 end
        end
        st[b] = { used, used, window, now - window + 1, cd, p0, p1, p2, c0, c1, c2, r0, r1, r2, 0, 0, 0, stale }
    end

    local out = { now }
    local n = 1
    local adds = {}
    local a = 3 + nb * 8
    local last = #argv
    while a <= last do
        -- the priority as text for the members, as a number for the state's fields
        local ptext = argv[a]
        local p, cost, token, k = tonumber(ptext), tonumber(argv[a + 1]), argv[a + 2], tonumber(argv[a + 3])
        local first = a + 4
        if k == 0 then
            k = nb
            first = 0
        end
        a = a + 4 + (first == 0 and 0 or k)
        local reason, retry, blocking = 0, -1, 0
        local rem0, rem1, rem2
        for i = 1, k do
            local b = i
            if first > 0 then
                b = tonumber(argv[first + i - 1])
            end
            local s = st[b]
            local used = s[1]
            local r, wait = 0, 0
            if s[5] > now then
                r, wait = 3, s[5] - now
            elseif s[6 + p] > now then
                r, wait = 2, s[6 + p] - now
            else
                local cap = s[9 + p]
                if used + cost > cap then
                    r = 1
                    -- room for cost opens when the (used + cost - cap)-th oldest unit leaves the window
                    local unit = used + cost - cap
                    if cost > cap or unit > s[2] then
                        -- never, or that unit was granted earlier in this batch, at now
                        wait = s[3]
                    else
                        if s[15] ~= unit then
                            local e = call('ZRANGEBYSCORE', keys[2 * b - 1], s[4], '+inf', 'WITHSCORES', 'LIMIT', unit - 1, 1)
                            s[15], s[16] = unit, tonumber(e[2])
                        end
                        wait = s[16] + s[3] - now
                    end
                end
            end
            -- room per priority: its capacity minus the usage (this call's cost comes off once it is granted)
            local x0, x1, x2 = s[12] - used, s[13] - used, s[14] - used
            if x0 < 0 then x0 = 0 end
            if x1 < 0 then x1 = 0 end
            if x2 < 0 then x2 = 0 end
            if i == 1 then
                rem0, rem1, rem2 = x0, x1, x2
            else
                if x0 < rem0 then rem0 = x0 end
                if x1 < rem1 then rem1 = x1 end
                if x2 < rem2 then rem2 = x2 end
            end
            if r ~= 0 and wait > retry then
                reason, retry, blocking = r, wait, i
            end
        end
        if reason == 0 then
            retry = 0
            rem0, rem1, rem2 = rem0 - cost, rem1 - cost, rem2 - cost
            if rem0 < 0 then rem0 = 0 end
            if rem1 < 0 then rem1 = 0 end
            if rem2 < 0 then rem2 = 0 end
            for i = 1, k do
                local b = i
                if first > 0 then
                    b = tonumber(argv[first + i - 1])
                end
                local s = st[b]
                s[1] = s[1] + cost
                local t = adds[b]
                if not t then
                    t = {}
                    adds[b] = t
                end
                local m = s[17]
                for unit = 1, cost do
                    t[m + 1] = now
                    t[m + 2] = ptext .. ':' .. token .. ':' .. unit
                    m = m + 2
                    -- within Lua's limit on unpacked arguments
                    if m >= 2000 then
                        call('ZADD', keys[2 * b - 1], unpack(t, 1, m))
                        m = 0
                    end
                end
                s[17] = m
            end
        end
        out[n + 1], out[n + 2], out[n + 3], out[n + 4], out[n + 5], out[n + 6] = reason, retry, blocking, rem0, rem1, rem2
        n = n + 6
    end
    for b = 1, nb do
        local t = adds[b]
        if t then
            local log_key, s = keys[2 * b - 1], st[b]
            local m = s[17]
            if m > 0 then
                call('ZADD', log_key, unpack(t, 1, m))
            end
            local window = s[3]
            if s[18] >= TRIM_AT then
                call('ZREMRANGEBYSCORE', log_key, '-inf', now - window)
            end
            -- a log key outlives its newest entry's window by a margin of 1 s
            call('PEXPIRE', log_key, floor((window + 999) / 1000) + 1000)
        end
    end
    return out
end

local PPM = 1000000
local HEADER = 4
-- a ctl key outlives its latest expiry by this much
local MARGIN_MS = 1000
local CTL_FIELDS = { 'ol', 'ou', 'p0', 'p1', 'p2', 'cd', 'tl' }
local op = argv[1]

-- floor(a / b) for non-negative integers, exact although the division is in floating point
local function idiv(a, b)
    local q = floor(a / b)
    if q * b > a then
        q = q - 1
    elseif (q + 1) * b <= a then
        q = q + 1
    end
    return q
end

-- the effective limit at now: an active override or the configured limit, capped while recovering from a
-- throttle by the reduced limit plus one step per interval since the cool-down ended (as in decide)
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
    if recovered < limit and recovered < base then
        return recovered
    end
    return base
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
    if KEYS[3] then
        -- an instance: what its decisions see, with its configured budget's pauses and override (as in decide)
        local t = redis.call('HMGET', KEYS[3], 'p0', 'p1', 'p2', 'ol', 'ou')
        for i, field in ipairs({ 'p0', 'p1', 'p2' }) do
            local x = tonumber(t[i]) or 0
            if x > c[field] then c[field] = x end
        end
        local tou = tonumber(t[5]) or 0
        if c.ou <= now and tou > now then
            c.ol, c.ou = tonumber(t[4]) or 0, tou
        end
    end
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
