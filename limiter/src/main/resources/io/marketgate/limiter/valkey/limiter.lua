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
--         then 10 values per budget, in KEYS order: limit, counted window µs (the window + the jitter guard),
--              ceiling ppm of HIGH, MEDIUM, LOW, recovery step interval µs, recovery step in cost units, the
--              jitter guard µs (0: none), the caller's expiry cell: the start in ms of the last cell in which one
--              of its grants on the budget, in a script with the same budgets, wrote the log's expiry or found it
--              written (0: none; see below), and the position in KEYS of its configured budget's ctl (0 for a
--              budget that is not an instance)
--         then per call, oldest first: priority (0 HIGH, 1 MEDIUM, 2 LOW), cost, caller token, k, and k
--              budget numbers (1-based, in the call's order); k = 0 means all budgets of the batch in KEYS order
--   reply: { now, then 6 values per call: reason (0 granted), retry-after µs, blocking budget (its position in
--          the call's budgets, 0 when granted), remaining room of HIGH, MEDIUM, LOW }
--   log members: priority:token for a call of cost 1, priority:token:unit (1..cost) otherwise; the token is
--         unique to the call across the fleet; m:<now>:<k> for a market unit (observe), which counts like any
--         other but is no caller's
-- one: the common case, one call of cost 1 on one budget, with fewer arguments and a smaller reply (each
--         argument costs the server about 600 instructions, a table reply about 3,500 more than a string);
--         decided exactly as a decide batch of that one call would be
--   KEYS: the budget's log and ctl, and for an instance its configured budget's ctl
--   ARGV: 1 'one', 2 the log member (priority:token: its first character is the priority), then the budget's
--         values as for decide but the last (KEYS[3] is the configured budget's ctl, if any)
--   reply: a grant under the configured limit with no priority paused and no cool-down, the common case: the
--          text "<now> <units in the window, this grant's included>" (a guarded budget: "<now> <units in the
--          configured window> <units in the counted window>"), from which the caller computes the room per
--          priority with the configured capacities; anything else: decide's reply for one call
-- throttle | override | clear | pause | resume | status | observe: one budget (KEYS log, ctl, and for an
--         instance the configured budget's ctl, which only status and observe read)
--   ARGV: 1 operation, 2..4 operands: throttle: cool-down µs;  override: limit, ttl µs;  pause: priority,
--         ttl µs;  resume: priority;  clear, status: none;  observe: the market's used, its capacity, the
--         observed call's grant µs
--         then 9 values: limit, counted window µs, ceiling ppm of HIGH, MEDIUM, LOW, recovery step interval µs,
--         recovery step in cost units, reduction ppm, jitter guard µs
--   reply: status: { now, effective limit, usage of HIGH, MEDIUM, LOW, ol, ou, p0, p1, p2, cd, market units }
--          (the usage of the configured window);
--          observe: { now, market units added }; the others: { now }
-- ctl fields: ol/ou override limit/until, p0..p2 pause until per priority, cd cool-down until,
--             tl throttled limit (the reduced limit recovery starts from; absent when never throttled),
--             hu/hc a waiting HIGH call's hold: until (µs) and units held (absent when none)
-- The jitter guard (Budget.java): a budget with a guard G keeps every grant for its counted window W + G (the log's
-- trimming and expiry follow it) and admits a call of priority p and cost c iff
--   units in (now - W, now]      + held(p) + c <= capacity(p)   the ceiling, on the configured window
--   units in (now - W - G, now]  + held(p) + c <= limit         the market's limit, on the counted window
-- so that no interval of W + G holds more than the limit. A denied call's retry-after is when both hold (fits_both).
-- Without a guard both are one window and the second is implied: such a budget counts once (one ZCOUNT) as before;
-- a guarded one counts both windows (two ZCOUNTs), which the room per priority in every reply needs anyway.
-- The hold (HighHold.java): a HIGH call refused by a ceiling (not a pause or cool-down, and able to fit at all) holds
-- the budgets whose ceiling refused it until its retry-after + HOLD_MARGIN_US (a later active hold's end and a larger
-- held cost stay). While a hold is active, MEDIUM and LOW count its units as taken (used + held + cost <= capacity),
-- and their retry-after is when they first fit if nothing else happens (fits_at). HIGH never counts a hold, and a
-- HIGH grant removes the budget's hold. It lives in the ctl hash, which every decision already reads with HGETALL:
-- the common grant pays nothing for it; a hold costs HSET and PTTL (and maybe PEXPIREAT) on the HIGH denial that
-- makes it, and HDEL on the HIGH grant that ends it.
-- An instance (coupang/vendor:V1) also obeys the operator's state of its configured budget (coupang/vendor):
-- a priority is paused while either pauses it, and the limit is the instance's own override while one is
-- active, else the configured budget's. Cool-downs and throttled limits stay the instance's own.
--
-- Time is the server's TIME, never the caller's. Lua numbers are doubles: every value here stays below
-- 2^53. Numbers handed to redis.call are converted exactly (%.17g); only number-to-string conversion in Lua
-- itself (tostring, ..) uses 14 significant digits, which would round a µs timestamp: fmt() where needed,
-- and on the hot path format('%d', x), exact for integers and cheaper than %.17g.
--
-- The decide path runs on every market call of the fleet, so it is written for speed: every redis.call costs
-- about as much as a whole script that only increments a key, and so does formatting a number (sprintf) or
-- making a table (measured with redis-benchmark and INFO commandstats on redis 7.0: about 0.8 µs per
-- redis.call, 0.5 to 1 µs per table, 0.5 µs per number concatenated with .., 0.7 µs per number handed to
-- redis.call, 0.3 µs per format('%d'), 0.1 µs (about 600 instructions) per script argument, 0.1 µs per
-- strtod). Per batch: TIME, and per budget a ZCOUNT of the window (two for a budget with a jitter guard) and HGETALL (+ one HGETALL per
-- configured budget of the batch's instances; + ZRANGEBYSCORE for the retry-after of a full ceiling, one per
-- distinct unit looked up); for a budget with grants one variadic ZADD, and once per cell and caller
-- ZREMRANGEBYSCORE and PEXPIREAT. A denial writes nothing, except a HIGH denial's hold (above). Expired entries are never counted (the count
-- takes the score range of the window, as does the retry-after lookup). One call of cost 1 on one budget, the
-- common case, is the operation one: decided without tables, and a plain grant replies with text. The rule's
-- arithmetic (the effective limit, the capacities, why a call is refused, a log's expiry) is written once, in
-- local functions that one, decide and the control operations call.
--
-- The expiry of a log: time is cut into cells of CELL_MS ms. A script whose grants on a budget find its window
-- empty, or come from a caller whose expiry cell for the budget is not the current cell c, sets the log to
-- expire at
--   E(c) = the end of c in ms + the window rounded up to ms + LOG_MARGIN_MS
-- and removes its expired entries (ZREMRANGEBYSCORE: they are never counted, so this only keeps the log to its
-- window and about one cell); other grants write no expiry. The caller (ValkeyLimiterStore) sets its expiry cell
-- for a budget to the cell of a script that granted on it, computed from the reply's TIME with the same CELL_MS.
-- Invariant: for every entry of a log, the key's expiry >= E(the cell of the entry's score). It holds after
--   each script in cell c that grants (TIME does not step back): if it writes E(c), every entry, old or new, is
--   of c or an earlier cell. If not, the caller had an earlier script in c that granted on the budget and wrote
--   E(c) or found it written (by induction); since then only E(c) or later cells' were written, and if the
--   key was deleted in between, the grant that made it anew found an empty window and wrote its own cell's;
--   and this script found entries, so the key exists. Trimming and deleting only remove entries, and nothing
--   else changes a log.
-- An entry is inside its window while now < its score + the window < the end of its cell + the window, which
-- is LOG_MARGIN_MS before E(its cell): so a log never expires while an entry is inside its window. (This is
-- for one budget configuration: a window made longer also applies to entries written under the shorter one;
-- and for a server clock that does not step back by more than LOG_MARGIN_MS -- before, every grant wrote its
-- expiry from now, with a margin of 1 s.) As CELL_MS + LOG_MARGIN_MS = 1000, a log lives from LOG_MARGIN_MS
-- to 1 s after the window of its newest entry.

local CELL_MS = 256
local LOG_MARGIN_MS = 744
-- HighHold.MARGIN_MICROS: how long a hold outlives its waiter's retry-after
local HOLD_MARGIN_US = 250000
-- a ctl key outlives its latest expiry by this much
local MARGIN_MS = 1000
local tonumber = tonumber
local floor = math.floor
local sub = string.sub
local format = string.format
local call = redis.call
local argv = ARGV
local keys = KEYS

local time = call('TIME')
-- strings: arithmetic converts one with a single strtod (tonumber() takes two), so the hot path writes x + 0
local sec, usec = time[1] + 0, time[2] + 0
local now = sec * 1000000 + usec


-- ---- the rule's arithmetic, once for every operation (a call of a local function costs far less than a command)

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
-- throttle by the reduced limit plus one step per interval since the cool-down ended; recovery ends at the
-- configured limit, from then on an override applies in full
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

-- why a call of cost is refused on a budget, given its cool-down, the pause of the call's priority, that
-- priority's capacity and the units in the configured window, and for a budget with a jitter guard (eff not
-- false) the effective limit and the units in the counted window: 0 granted; 3 cooling down or 2 paused, with
-- the wait; 1 the ceiling or the guard, with n, the units that must leave the configured window (the n-th oldest
-- in it opens room for the ceiling; 0 when none ever does, or when the ceiling has room), and m, the units that
-- must leave the counted window (0 when the limit has room)
local function refusal(cd, pause, cap, used, cost, eff, gused)
    if cd > now then
        return 3, cd - now
    elseif pause > now then
        return 2, pause - now
    elseif used + cost > cap then
        if cost > cap then
            return 1, 0, 0
        end
        if eff and gused + cost > eff then
            return 1, used + cost - cap, gused + cost - eff
        end
        return 1, used + cost - cap, 0
    elseif eff and gused + cost > eff then
        return 1, 0, gused + cost - eff
    end
    return 0, 0
end

-- when a call refused on a guarded budget first fits if nothing else happens (HighHold.fitsAt with both terms):
-- n units of the configured window (used of them; expiry(k) when its k-th oldest leaves) and m units of the
-- counted window (gused; gexpiry) must leave while the hold of held units (until hu) stands, n - held and
-- m - held once it has ended
local function fits_both(n, used, expiry, m, gused, gexpiry, held, hu)
    local function leaves(k, u, f)
        if k <= 0 then
            return now
        elseif k <= u then
            return f(k)
        end
        return 1e300
    end
    local t, g = leaves(n, used, expiry), leaves(m, gused, gexpiry)
    if g > t then t = g end
    if held == 0 then
        return t
    end
    local after, a1, a2 = hu, leaves(n - held, used, expiry), leaves(m - held, gused, gexpiry)
    if a1 > after then after = a1 end
    if a2 > after then after = a2 end
    if after < t then
        return after
    end
    return t
end

-- when a call refused by a ceiling first fits if nothing else happens (HighHold.fitsAt): n units must leave while
-- the hold of held units (until hu) stands, n - held once it has ended; expiry(k) is when the k-th oldest of the used
-- units leaves the window
local function fits_at(n, used, held, hu, expiry)
    local t = 1e300
    if n <= used then
        t = expiry(n)
    end
    if held == 0 then
        return t
    end
    local after = now
    if n - held > 0 then
        after = expiry(n - held)
    end
    if hu > after then
        after = hu
    end
    if after < t then
        return after
    end
    return t
end

-- the admission time (µs) of the k-th oldest unit in a log from score low on: it leaves a window that much later
local function nth_score(log_key, low, k)
    return call('ZRANGEBYSCORE', log_key, low, '+inf', 'WITHSCORES', 'LIMIT', k - 1, '1')[2] + 0
end

-- nth_score for a budget's state s of a batch, remembered in s[c] (the last k asked) and s[c + 1] (its score)
local function cached_nth(s, log_key, low, c, k)
    if s[c] ~= k then
        s[c], s[c + 1] = k, nth_score(log_key, low, k)
    end
    return s[c + 1]
end

-- when the u-th oldest unit of a batch budget's log leaves its counted window (s[3], the log from score s[4]); a unit
-- beyond the s[2] stored ones was granted earlier in this batch, at now, and leaves a window after now
local function leaves_log(s, log_key, u)
    if u > s[2] then
        return now + s[3]
    end
    return cached_nth(s, log_key, s[4], 15, u) + s[3]
end

-- a hold written into a ctl hash, which then lives at least until the hold's end and MARGIN_MS
local function set_hold(ctl_key, hu, hc)
    call('HSET', ctl_key, 'hu', format('%d', hu), 'hc', format('%d', hc))
    local want = floor(hu / 1000) + 1 + MARGIN_MS
    local pttl = call('PTTL', ctl_key)
    if pttl < 0 or sec * 1000 + floor(usec / 1000) + pttl < want then
        call('PEXPIREAT', ctl_key, want)
    end
end

-- a log granted into: its expired entries removed and its expiry set for the current cell (see above)
local function expire_log(log_key, window, cell_ms)
    call('ZREMRANGEBYSCORE', log_key, '-inf', now - window)
    call('PEXPIREAT', log_key, cell_ms + CELL_MS + floor((window + 999) / 1000) + LOG_MARGIN_MS)
end

local op = argv[1]
if op == 'one' or op == 'decide' then
    -- one call of cost 1 on one budget, the common case: decided as soon as the budget is read, without tables
    local lone = op == 'one'
    -- the values of budget b are ARGV o + 1 .. o + 10, o = 2 + (b - 1) * 10 (for one: o + 1 .. o + 9)
    local nb, last = 1, #argv
    if not lone then
        nb = argv[2] + 0
    end
    -- the start of the current cell in ms (exact: usec < 10^6, and CELL_MS is a power of two)
    local cell_ms = sec * 1000 + floor(usec / 1000)
    cell_ms = cell_ms - cell_ms % CELL_MS
    -- per budget b, st[b] = { 1 units in the (counted) window (with this batch's grants so far), 2 units in the
    -- window before this batch, 3 window, 4 lowest score in the window, 5 cool-down until, 6..8 pause until per
    -- priority, 9..11 capacity per priority, 12..14 room base per priority (the capacity, or a large negative
    -- number while cooling down or paused), 15 the unit number looked up last, 16 its score, 17 ZADD
    -- arguments waiting, 18 whether a grant must write the log's expiry, 19 hold until (0: none), 20 units
    -- held, 21 the hold's write at the end: false, 'set' or 'clear', 22 units in the configured window (with
    -- this batch's grants; = 1 without a guard), 23 the same before this batch, 24 lowest score in the configured
    -- window, 25 the jitter guard (0: none), 26 the unit of the configured window looked up last, 27 its score,
    -- 28 the effective limit }
    local st
    -- the operator's state of configured budgets, per position in KEYS: { p0, p1, p2, ol, ou }
    local tctl
    if not lone then
        st, tctl = {}, {}
    end
    for b = 1, nb do
        local o = 2 + (b - 1) * 10
        local limit, window = argv[o + 1] + 0, argv[o + 2] + 0
        local log_key = keys[2 * b - 1]
        local low = now - window + 1
        local used = call('ZCOUNT', log_key, format('%d', low), '+inf')
        -- a budget with a jitter guard: used counts the counted window (window is window + guard: the limit's term),
        -- wused the configured window (the ceilings' term); without one they are the same count, taken once
        local guard, wused, wlow = 0, used, low
        if argv[o + 8] ~= '0' then
            guard = argv[o + 8] + 0
            wlow = low + guard
            wused = call('ZCOUNT', log_key, format('%d', wlow), '+inf')
        end
        local cd, p0, p1, p2, ol, ou, tl, hu, hc = 0, 0, 0, 0, 0, 0, 0, 0, 0
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
            elseif f == 'hu' then hu = x
            elseif f == 'hc' then hc = x
            end
        end
        -- units of an active hold, which MEDIUM and LOW count as taken
        local held = 0
        if hu > now then
            held = hc
        end
        -- the position in KEYS of the configured budget's ctl, or false
        local ti
        if lone then
            ti = keys[3] and 3
        else
            ti = argv[o + 10]
            ti = ti ~= '0' and ti + 0
        end
        if ti then
            local t = tctl and tctl[ti]
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
                if tctl then
                    tctl[ti] = t
                end
            end
            if t[1] > p0 then p0 = t[1] end
            if t[2] > p1 then p1 = t[2] end
            if t[3] > p2 then p2 = t[3] end
            if ou <= now and t[5] > now then
                ol, ou = t[4], t[5]
            end
        end
        local eff = effective_limit(limit, ol, ou, cd, tl, argv[o + 6], argv[o + 7])
        -- floor(ceiling ppm * eff / 10^6) per priority
        local c0, c1, c2 = idiv(argv[o + 3] * eff, 1000000), idiv(argv[o + 4] * eff, 1000000), idiv(argv[o + 5] * eff, 1000000)
        local r0, r1, r2 = c0, c1, c2
        if cd > now then
            r0, r1, r2 = -1e15, -1e15, -1e15
        else
            if p0 > now then r0 = -1e15 end
            if p1 > now then r1 = -1e15 end
            if p2 > now then r2 = -1e15 end
        end
        if lone then
            -- the batch's steps below, for one call of cost 1
            local ptext = sub(argv[2], 1, 1)
            local pause, cap = p0, c0
            if ptext == '1' then
                pause, cap = p1, c1
            elseif ptext == '2' then
                pause, cap = p2, c2
            end
            local mine = held
            if ptext == '0' then
                mine = 0
            end
            local reason, retry, m = refusal(cd, pause, cap, wused + mine, 1, guard > 0 and eff, used + mine)
            if reason == 1 then
                if retry == 0 and m == 0 then
                    retry = window
                else
                    if guard > 0 then
                        -- both terms: the ceiling on the configured window, the limit on the counted window
                        retry = fits_both(retry, wused, function(k)
                            return nth_score(log_key, wlow, k) + window - guard
                        end, m, used, function(k)
                            return nth_score(log_key, low, k) + window
                        end, mine, hu) - now
                    elseif mine == 0 then
                        retry = nth_score(log_key, low, retry) + window - now
                    else
                        retry = fits_at(retry, used, mine, hu, function(k)
                            return nth_score(log_key, low, k) + window
                        end) - now
                    end
                    if ptext == '0' then
                        -- a HIGH call waits for this budget: hold its next free unit
                        local nhu, nhc = now + retry + HOLD_MARGIN_US, 1
                        if held > 0 then
                            if hu > nhu then nhu = hu end
                            if hc > nhc then nhc = hc end
                        end
                        set_hold(keys[2], nhu, nhc)
                    end
                end
            elseif reason == 0 then
                -- granted; into an empty window or at the caller's first grant of the cell, the expiry too (above)
                local score = time[1] .. sub('00000', #time[2]) .. time[2]
                call('ZADD', log_key, score, argv[2])
                if used == 0 or argv[o + 9] + 0 ~= cell_ms then
                    expire_log(log_key, window, cell_ms)
                end
                used, wused = used + 1, wused + 1
                if ptext == '0' and hu ~= 0 then
                    -- a HIGH grant ends the budget's hold
                    call('HDEL', keys[2], 'hu', 'hc')
                    held = 0
                end
                if held == 0 and eff == limit and r0 == c0 and r1 == c1 and r2 == c2 then
                    -- the configured capacities, nothing paused or cooling down: the caller computes the room
                    if guard > 0 then
                        return format('%s %d %d', score, wused, used)
                    end
                    return format('%s %d', score, used)
                end
            end
            -- room per priority: its capacity less the configured window's units, at most the limit less the counted
            -- window's (a guarded budget), less a hold for MEDIUM and LOW
            r0, r1, r2 = r0 - wused, r1 - wused, r2 - wused
            if guard > 0 then
                local y = eff - used
                if y < r0 then r0 = y end
                if y < r1 then r1 = y end
                if y < r2 then r2 = y end
            end
            r1, r2 = r1 - held, r2 - held
            if r0 < 0 then r0 = 0 end
            if r1 < 0 then r1 = 0 end
            if r2 < 0 then r2 = 0 end
            return { now, reason, retry, reason == 0 and 0 or 1, r0, r1, r2 }
        end
        st[b] = { used, used, window, low, cd, p0, p1, p2, c0, c1, c2, r0, r1, r2, 0, 0, 0,
            used == 0 or argv[o + 9] + 0 ~= cell_ms, hu, hc, false, wused, wused, wlow, guard, 0, 0, eff }
    end

    local out = { now }
    local n = 1
    local adds = {}
    local score
    local a = 3 + nb * 10
    while a <= last do
        -- the priority as text for the members, as a number for the state's fields
        local ptext = argv[a]
        local p, cost, token, k = ptext + 0, argv[a + 1] + 0, argv[a + 2], argv[a + 3] + 0
        local first = a + 4
        if k == 0 then
            k = nb
            first = 0
        end
        a = a + 4 + (first == 0 and 0 or k)
        local reason, retry, blocking = 0, -1, 0
        local rem0, rem1, rem2
        -- a HIGH call's budgets refused by their ceiling (to hold), and whether one can never fit it
        local full, never
        for i = 1, k do
            local b = i
            if first > 0 then
                b = argv[first + i - 1] + 0
            end
            local s = st[b]
            local used, wused, guarded = s[1], s[22], s[25] > 0
            local held = 0
            if s[19] > now then
                held = s[20]
            end
            local mine = held
            if p == 0 then
                mine = 0
            end
            local r, wait, m = refusal(s[5], s[6 + p], s[9 + p], wused + mine, cost, guarded and s[28], used + mine)
            if r == 1 then
                -- wait holds the unit whose leaving opens room
                if wait == 0 and m == 0 then
                    never = true
                    wait = s[3]
                else
                    local log_key = keys[2 * b - 1]
                    if guarded then
                        -- both terms (units granted earlier in this batch, at now, leave each window a window after now)
                        wait = fits_both(wait, wused, function(u)
                            if u > s[23] then
                                return now + s[3] - s[25]
                            end
                            return cached_nth(s, log_key, s[24], 26, u) + s[3] - s[25]
                        end, m, used, function(u)
                            return leaves_log(s, log_key, u)
                        end, mine, s[19]) - now
                    elseif mine == 0 then
                        wait = leaves_log(s, log_key, wait) - now
                    else
                        wait = fits_at(wait, used, mine, s[19], function(u)
                            return leaves_log(s, log_key, u)
                        end) - now
                    end
                end
                if p == 0 then
                    full = full or {}
                    full[#full + 1] = b
                end
            end
            -- room per priority: its capacity minus the usage, at most the limit minus the counted window's on a guarded
            -- budget (this call's cost comes off once it is granted)
            local x0, x1, x2 = s[12] - wused, s[13] - wused, s[14] - wused
            if guarded then
                local y = s[28] - used
                if y < x0 then x0 = y end
                if y < x1 then x1 = y end
                if y < x2 then x2 = y end
            end
            x1, x2 = x1 - held, x2 - held
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
            -- now as text, made of TIME's own digits (a number handed to redis.call is formatted by sprintf)
            score = score or time[1] .. sub('00000', #time[2]) .. time[2]
            local member = ptext .. ':' .. token
            for i = 1, k do
                local b = i
                if first > 0 then
                    b = argv[first + i - 1] + 0
                end
                local s = st[b]
                local log_key = keys[2 * b - 1]
                local t = adds[b]
                if not t then
                    t = {}
                    adds[b] = t
                end
                s[1], s[22] = s[1] + cost, s[22] + cost
                local m = s[17]
                if cost == 1 then
                    t[m + 1], t[m + 2] = score, member
                    m = m + 2
                else
                    for unit = 1, cost do
                        t[m + 1], t[m + 2] = score, member .. ':' .. unit
                        m = m + 2
                        -- within Lua's limit on unpacked arguments
                        if m >= 2000 then
                            call('ZADD', log_key, unpack(t, 1, m))
                            m = 0
                        end
                    end
                end
                s[17] = m
                if p == 0 and s[19] ~= 0 then
                    -- a HIGH grant ends the budget's hold
                    s[19], s[20], s[21] = 0, 0, 'clear'
                end
            end
        elseif reason == 1 and full and not never then
            -- a HIGH call waits: hold the next free units of the budgets whose ceiling refused it
            for j = 1, #full do
                local s = st[full[j]]
                local nhu, nhc = now + retry + HOLD_MARGIN_US, cost
                if s[19] > now then
                    if s[19] > nhu then nhu = s[19] end
                    if s[20] > nhc then nhc = s[20] end
                end
                s[19], s[20], s[21] = nhu, nhc, 'set'
            end
        end
        out[n + 1], out[n + 2], out[n + 3], out[n + 4], out[n + 5], out[n + 6] = reason, retry, blocking, rem0, rem1, rem2
        n = n + 6
    end
    for b = 1, nb do
        local t = adds[b]
        local hold = st[b][21]
        if hold == 'set' then
            set_hold(keys[2 * b], st[b][19], st[b][20])
        elseif hold == 'clear' then
            call('HDEL', keys[2 * b], 'hu', 'hc')
        end
        if t then
            local log_key, s = keys[2 * b - 1], st[b]
            local m = s[17]
            if m > 0 then
                call('ZADD', log_key, unpack(t, 1, m))
            end
            if s[18] then
                expire_log(log_key, s[3], cell_ms)
            end
        end
    end
    return out
end


local PPM = 1000000
local HEADER = 4
local CTL_FIELDS = { 'ol', 'ou', 'p0', 'p1', 'p2', 'cd', 'tl', 'hu' }

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
-- the jitter guard: window is the counted window (window + guard), the configured window is window - guard
local guard = tonumber(ARGV[HEADER + 9])

local c = {}
local v = redis.call('HMGET', ctl_key, unpack(CTL_FIELDS))
for i, field in ipairs(CTL_FIELDS) do
    c[field] = tonumber(v[i]) or 0
end

local function effective()
    return effective_limit(limit, c.ol, c.ou, c.cd, c.tl, step_interval, step)
end

-- an instance (KEYS[3] is its configured budget's ctl): what its decisions see, with its configured budget's pauses
-- and override (as in decide)
local function with_configured()
    if KEYS[3] then
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
    with_configured()
    redis.call('ZREMRANGEBYSCORE', log_key, '-inf', fmt(now - window))
    -- usage per priority in the configured window (a guard's counted window is the limit's, not the ceilings'), and at
    -- 4 the market units (members 'm:…')
    local usage = { 0, 0, 0, 0 }
    for _, member in ipairs(redis.call('ZRANGEBYSCORE', log_key, '(' .. fmt(now - window + guard), '+inf')) do
        local q = 4
        if string.sub(member, 1, 1) ~= 'm' then
            q = tonumber(string.sub(member, 1, 1)) + 1
        end
        usage[q] = usage[q] + 1
    end
    return { now, effective(), usage[1], usage[2], usage[3], c.ol, c.ou, c.p0, c.p1, c.p2, c.cd, usage[4] }
elseif op == 'observe' then
    -- the market's level (ARGV 2 used, 3 capacity) on its answer to a call granted at ARGV 4 (µs): add market units
    -- until HIGH's room is the market's, each leaving the window at the budget's rate (see MarketUnits.java)
    with_configured()
    local used, capacity, grant = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
    local low = now - window
    -- what the market has counted: the grants up to the observed call's, and every market unit in the window
    local seen = 0
    if grant > low then
        seen = redis.call('ZCOUNT', log_key, '(' .. fmt(low), fmt(grant))
    end
    local after = grant
    if after < low then
        after = low
    end
    for _, member in ipairs(redis.call('ZRANGEBYSCORE', log_key, '(' .. fmt(after), '+inf')) do
        if string.sub(member, 1, 1) == 'm' then
            seen = seen + 1
        end
    end
    -- the market's room, less the slack the configured limit keeps below the market's capacity
    local slack = capacity - limit
    if slack < 0 then
        slack = 0
    end
    local room = capacity - used - slack
    if room < 0 then
        room = 0
    end
    local missing = idiv(tonumber(ARGV[HEADER + 3]) * effective(), PPM) - seen - room
    if missing <= 0 then
        return { now, 0 }
    end
    -- members 'm:<now>:<k>': never a caller's ('<priority>:<token>'), unique per observation; stamped inside the
    -- configured window (cw), so that they count in both terms of a guarded budget's rule
    local t, m = {}, 0
    local cw = window - guard
    for k = 1, missing do
        local score = now
        if k < limit then
            score = now - cw + idiv(k * cw, limit)
        end
        t[m + 1], t[m + 2] = fmt(score), 'm:' .. fmt(now) .. ':' .. k
        m = m + 2
        if m >= 2000 then
            redis.call('ZADD', log_key, unpack(t, 1, m))
            m = 0
        end
    end
    if m > 0 then
        redis.call('ZADD', log_key, unpack(t, 1, m))
    end
    -- every unit added is of the current cell or earlier: the log's expiry for the current cell keeps the invariant
    local cell_ms = sec * 1000 + floor(usec / 1000)
    expire_log(log_key, window, cell_ms - cell_ms % CELL_MS)
    return { now, missing }
else
    return redis.error_reply('limiter.lua: unknown operation ' .. tostring(op))
end

-- Keep the ctl hash exactly as long as it can change a decision: until its latest pause, override, hold or
-- cool-down ends and, after a throttle, until the effective limit is back at the configured limit (after
-- which a forgotten reduced limit would change nothing). Delete it when nothing in it matters any more.
local last = math.max(c.ou, c.p0, c.p1, c.p2, c.cd, c.hu)
if c.tl > 0 and c.tl < limit then
    last = math.max(last, c.cd + idiv(limit - c.tl + step - 1, step) * step_interval)
end
if last <= now then
    redis.call('DEL', ctl_key)
else
    redis.call('PEXPIREAT', ctl_key, fmt(idiv(last, 1000) + 1 + MARGIN_MS))
end
return { now }
