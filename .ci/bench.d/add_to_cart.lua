-- wrk script: add one unit of a catalog variant to guest carts, without ever hitting a cart limit.
--
--   ADD_CART_CARTS="id:token,id:token,..."  guest carts made beforehand (POST /v1/carts)
--   ADD_CART_VARIANTS="uuid,uuid,..."       purchasable variant ids (the sample catalog's)
--   ADD_CART_THREADS=2                      wrk's -t, so each thread gets its own carts
--   ADD_CART_STATE=target/bench/add_to_cart.state   carries the next free line from warm-up to measurement
--   wrk -t2 -c64 -d20s -s .ci/bench.d/add_to_cart.lua http://127.0.0.1:8080/v1/carts/ANY/items
--
-- A line holds at most 99 units and a cart at most 100 lines; beyond that the service answers 422,
-- which would make the figure a stream of errors. So:
--   * consecutive requests of a thread go to consecutive carts (round robin), so in-flight requests
--     rarely queue on the same cart's row lock;
--   * a cart fills one line to 99 units before opening the next, so carts stay a few lines long, like
--     a shopper's, instead of every request re-pricing a 100-line cart;
--   * wrk runs twice (warm-up, then measurement) with fresh Lua states: done() writes the first line
--     no request has touched yet to ADD_CART_STATE and setup() of the next run starts there, so the
--     measurement never tops up a line the warm-up filled.

local MAX_UNITS, MAX_LINES = 99, 100

local function list(name)
  local out = {}
  for item in (os.getenv(name) or ""):gmatch("[^,]+") do out[#out + 1] = item end
  return out
end

local carts = {}
for _, pair in ipairs(list("ADD_CART_CARTS")) do
  local id, token = pair:match("^([^:]+):(.+)$")
  carts[#carts + 1] = { id = id, token = token, index = #carts }
end
local variants = list("ADD_CART_VARIANTS")
local nthreads = tonumber(os.getenv("ADD_CART_THREADS") or "1")
local state_file = os.getenv("ADD_CART_STATE")
-- one variant per line, and no more lines than a cart may hold
local max_lines = math.min(MAX_LINES, #variants)

if #carts < nthreads or #variants == 0 then
  error("add_to_cart.lua: needs ADD_CART_CARTS (at least one cart per thread) and ADD_CART_VARIANTS")
end

-- ------------------------------------------------------------ main state: hand out threads, keep the state
-- start_line lives in the main state; each thread gets it as its global first_line
local threads, start_line = {}, nil

function setup(thread)
  if start_line == nil then
    start_line = 0
    local f = state_file and io.open(state_file, "r")
    if f then start_line = tonumber(f:read("*l")) or 0; f:close() end
  end
  thread:set("slot", #threads)          -- 0-based, picks this thread's carts
  thread:set("first_line", start_line)
  threads[#threads + 1] = thread
end

function done(summary, latency, requests)
  -- The furthest line any thread reached (requests generated, so in-flight ones count too).
  local next_line = start_line
  for _, t in ipairs(threads) do
    local sent, n = t:get("sent"), t:get("ncarts")
    local rounds = math.ceil(sent / n)
    next_line = math.max(next_line, start_line + math.ceil(rounds / MAX_UNITS))
  end
  if state_file then
    local f = assert(io.open(state_file, "w"))
    f:write(next_line, "\n")
    f:close()
  end
  if next_line > max_lines then
    io.stderr:write(string.format("add_to_cart.lua: carts full (%d lines of %d needed): add carts\n",
      next_line, max_lines))
  end
end

-- ------------------------------------------------------------ per thread
function init(args)
  mine = {}
  for i = slot + 1, #carts, nthreads do mine[#mine + 1] = carts[i] end
  ncarts = #mine
  sent = 0
  headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
end

function request()
  local cart = mine[sent % ncarts + 1]
  local round = math.floor(sent / ncarts)
  sent = sent + 1
  -- each cart fills line 0 to 99 units, then line 1, ...; past the last line it would be refused (422)
  local line = math.min(first_line + math.floor(round / MAX_UNITS), max_lines - 1)
  -- carts start at different variants, so they do not all hold the same rows
  local variant = variants[(cart.index + line) % #variants + 1]
  headers["X-Cart-Token"] = cart.token
  return wrk.format("POST", "/v1/carts/" .. cart.id .. "/items", headers,
    '{"variant_id":"' .. variant .. '","quantity":1}')
end
