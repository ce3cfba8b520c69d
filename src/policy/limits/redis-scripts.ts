/**
 * The Lua side of RedisLimiter. Every number a script returns is a string ('%.17g', exact for epoch
 * ms and micro-USD), because Redis truncates Lua numbers to integers in replies.
 *
 * Keys per subject (5, in this order): requests TAT, tokens TAT, in-flight ZSET (request id → lease
 * expiry), tickets HASH (request id → reserved micro-USD), reserved micro-USD counter. Spend counters
 * (`<spendBase><periodStart>`) are named in ARGV because their name depends on the clock; they are
 * not cluster-safe, and neither are the multi-subject calls (one Redis, or a primary + replicas).
 */
import { createHash } from 'node:crypto';

export interface LuaScript {
  source: string;
  sha: string;
}

function script(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

export const KEYS_PER_SUBJECT = 5;
export const ADMIT_ARGS_PER_SUBJECT = 6;
export const SETTLE_ARGS_PER_SUBJECT = 2;

const COMMON = `
local DAY = 86400000
local WINDOW = 60000
local function num(x) return string.format('%.17g', x) end
local function clock(override)
  if override ~= '' then return tonumber(override) end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
end
-- Day of the month of a day count since 1970-01-01 (H. Hinnant's civil_from_days).
local function day_of_month(days)
  local z = days + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  return doy - math.floor((153 * mp + 2) / 5) + 1
end
local function period_start(period, now)
  if period == 'total' then return 0 end
  local days = math.floor(now / DAY)
  if period == 'day' then return days * DAY end
  if period == 'week' then return (days - (days + 3) % 7) * DAY end
  return (days - day_of_month(days) + 1) * DAY
end
local function release(reserved, micros)
  if tonumber(micros) <= 0 then return end
  if tonumber(redis.call('DECRBY', reserved, micros)) <= 0 then redis.call('DEL', reserved) end
end
-- Tickets whose lease ran out belong to a replica that died before settling: free their slot and reservation.
local function prune(inflight, tickets, reserved, now)
  local expired = redis.call('ZRANGEBYSCORE', inflight, '-inf', num(now))
  if #expired == 0 then return end
  local released = 0
  for _, id in ipairs(expired) do
    local micros = redis.call('HGET', tickets, id)
    if micros then
      released = released + tonumber(micros)
      redis.call('HDEL', tickets, id)
    end
  end
  redis.call('ZREMRANGEBYSCORE', inflight, '-inf', num(now))
  release(reserved, num(released))
end
`;

/**
 * ARGV: request id, tokens, cost micros, lease ms, clock override ('' = Redis TIME), then per
 * subject: rpm, tpm, maxConcurrent, budget micros ('' = unset), period, spend key base.
 * Reply: status ('ok' | 'deny' | 'seed'), now, failing subject (1-based), limit, retry-after ms,
 * then per subject: requests TAT, tokens TAT, period start, needs-seed ('1' | '0').
 */
export const ADMIT_SCRIPT = script(`${COMMON}
local function take(tat, now, cost, limit)
  local current = math.max(tat or now, now)
  if limit <= 0 or cost > limit then return false, current, nil end
  local nxt = current + cost * (WINDOW / limit)
  local allow_at = nxt - WINDOW
  if allow_at > now + 1e-6 then return false, current, math.ceil(allow_at - now) end
  return true, nxt, nil
end
local function store_tat(key, tat, now)
  redis.call('SET', key, num(tat), 'PX', math.ceil(tat - now) + 1000)
end

local now = clock(ARGV[5])
local request_id, tokens, cost, lease = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local subjects = {}
local needs_seed = false
for i = 1, #KEYS / ${KEYS_PER_SUBJECT} do
  local k, a = (i - 1) * ${KEYS_PER_SUBJECT}, 5 + (i - 1) * ${ADMIT_ARGS_PER_SUBJECT}
  local s = { requests_key = KEYS[k + 1], tokens_key = KEYS[k + 2], inflight = KEYS[k + 3], tickets = KEYS[k + 4],
    reserved = KEYS[k + 5], rpm = tonumber(ARGV[a + 1]), tpm = tonumber(ARGV[a + 2]), max = tonumber(ARGV[a + 3]),
    budget = tonumber(ARGV[a + 4]) }
  if s.budget then
    s.period_start = period_start(ARGV[a + 5], now)
    s.spend_key = ARGV[a + 6] .. num(s.period_start)
    s.spent = tonumber(redis.call('GET', s.spend_key))
    if not s.spent then needs_seed = true end
  end
  subjects[i] = s
end

local function reply(status, index, limit, retry)
  local out = { status, num(now), tostring(index), limit, retry and num(retry) or '' }
  for _, s in ipairs(subjects) do
    out[#out + 1] = s.requests_tat and num(s.requests_tat) or ''
    out[#out + 1] = s.tokens_tat and num(s.tokens_tat) or ''
    out[#out + 1] = s.period_start and num(s.period_start) or ''
    out[#out + 1] = (s.budget and not s.spent) and '1' or '0'
  end
  return out
end
if needs_seed then return reply('seed', 0, '', nil) end

for _, s in ipairs(subjects) do
  if s.max or s.budget then prune(s.inflight, s.tickets, s.reserved, now) end
  if s.rpm then s.requests_tat = tonumber(redis.call('GET', s.requests_key)) end
  if s.tpm then s.tokens_tat = tonumber(redis.call('GET', s.tokens_key)) end
end

for i, s in ipairs(subjects) do
  if s.rpm then
    local ok, tat, retry = take(s.requests_tat, now, 1, s.rpm)
    if not ok then return reply('deny', i, 'requests', retry) end
    s.requests_next = tat
  end
  if s.tpm then
    local ok, tat, retry = take(s.tokens_tat, now, tokens, s.tpm)
    if not ok then return reply('deny', i, 'tokens', retry) end
    s.tokens_next = tat
  end
  if s.max and redis.call('ZCARD', s.inflight) >= s.max then return reply('deny', i, 'concurrency', nil) end
  if s.budget then
    local reserved = tonumber(redis.call('GET', s.reserved)) or 0
    if s.spent + reserved + cost > s.budget then return reply('deny', i, 'budget', nil) end
  end
end

for _, s in ipairs(subjects) do
  if s.rpm then
    store_tat(s.requests_key, s.requests_next, now)
    s.requests_tat = s.requests_next
  end
  if s.tpm then
    store_tat(s.tokens_key, s.tokens_next, now)
    s.tokens_tat = s.tokens_next
  end
  if s.max or s.budget then
    redis.call('ZADD', s.inflight, num(now + lease), request_id)
    redis.call('PEXPIRE', s.inflight, 2 * lease)
  end
  if s.budget then
    redis.call('HSET', s.tickets, request_id, num(cost))
    redis.call('INCRBY', s.reserved, num(cost))
    redis.call('PEXPIRE', s.tickets, 2 * lease)
    redis.call('PEXPIRE', s.reserved, 2 * lease)
  end
end
return reply('ok', 0, '', nil)
`);

/**
 * ARGV: request id, token delta (real − reserved), real cost micros, clock override, then per
 * subject: tpm ('' = unset), spend key of the ticket's period ('' = no budget). A spend counter that
 * is missing (Redis restarted) is left missing, so the next admission seeds it from the store.
 */
export const SETTLE_SCRIPT = script(`${COMMON}
local request_id, delta, cost = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local now = nil
for i = 1, #KEYS / ${KEYS_PER_SUBJECT} do
  local k, a = (i - 1) * ${KEYS_PER_SUBJECT}, 4 + (i - 1) * ${SETTLE_ARGS_PER_SUBJECT}
  local tokens_key, inflight, tickets, reserved = KEYS[k + 2], KEYS[k + 3], KEYS[k + 4], KEYS[k + 5]
  local tpm, spend_key = tonumber(ARGV[a + 1]), ARGV[a + 2]
  redis.call('ZREM', inflight, request_id)
  local micros = redis.call('HGET', tickets, request_id)
  if micros then
    redis.call('HDEL', tickets, request_id)
    release(reserved, micros)
  end
  if spend_key ~= '' and cost > 0 and redis.call('EXISTS', spend_key) == 1 then
    redis.call('INCRBY', spend_key, num(cost))
  end
  if tpm and tpm > 0 and delta ~= 0 then
    now = now or clock(ARGV[4])
    local tat = tonumber(redis.call('GET', tokens_key)) or now
    local nxt = math.max(tat, now) + delta * (WINDOW / tpm)
    if nxt > now then
      redis.call('SET', tokens_key, num(nxt), 'PX', math.ceil(nxt - now) + 1000)
    else
      redis.call('DEL', tokens_key)
    end
  end
end
return 'ok'
`);

/** KEYS: in-flight, tickets, reserved. ARGV: spend key, clock override. Reply: spent ('' = needs seed), reserved. */
export const BUDGET_STATUS_SCRIPT = script(`${COMMON}
prune(KEYS[1], KEYS[2], KEYS[3], clock(ARGV[2]))
local spent = redis.call('GET', ARGV[1])
return { spent or '', redis.call('GET', KEYS[3]) or '0' }
`);
