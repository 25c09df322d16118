-- dspy4j RedisRateLimiter: two GCRA buckets in one hash, evaluated atomically.
-- KEYS[1]  the bucket's hash: field r = theoretical arrival time of the next request (micros),
--          field t = the same for tokens (may run ahead of now by more than the window: debt)
-- ARGV[1]  now in micros, or '' to read the server's TIME (so skewed clients agree)
-- ARGV[2]  'a' = take one request permit (if tokens are not in debt), 'c' = charge tokens
-- ARGV[3]  micros per request;  ARGV[4] tolerance = (burst - 1) * micros per request
-- ARGV[5]  micros per token, 0 without a token limit;  ARGV[6] token window (micros)
-- ARGV[7]  tokens to charge ('c');  ARGV[8] milliseconds an idle, full bucket is kept
-- Returns 0 when granted (or charged), else the milliseconds until a permit can exist (>= 1).
if redis.replicate_commands then pcall(redis.replicate_commands) end
local now
if ARGV[1] == '' then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000000 + tonumber(time[2])
else
  now = tonumber(ARGV[1])
end
local interval = tonumber(ARGV[3])
local tolerance = tonumber(ARGV[4])
local tokenInterval = tonumber(ARGV[5])
local tokenWindow = tonumber(ARGV[6])
local state = redis.call('HMGET', KEYS[1], 'r', 't')
local r = math.max(tonumber(state[1]) or now, now)
local t = math.max(tonumber(state[2]) or now, now)
if ARGV[2] == 'c' then
  t = t + tonumber(ARGV[7]) * tokenInterval
else
  local wait = 0
  if tokenInterval > 0 and t - now > tokenWindow then
    wait = t - now - tokenWindow
  end
  if r - now > tolerance then
    wait = math.max(wait, r - now - tolerance)
  end
  if wait > 0 then
    return math.max(1, math.ceil(wait / 1000))
  end
  r = r + interval
end
redis.call('HSET', KEYS[1], 'r', string.format('%.17g', r), 't', string.format('%.17g', t))
redis.call('PEXPIRE', KEYS[1], string.format('%d', math.ceil((math.max(r, t) - now) / 1000) + tonumber(ARGV[8])))
return 0
