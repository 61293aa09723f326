-- wrk script: signed-in customers each loop "add 1 unit of my own product to my cart, check out with a
-- fresh Idempotency-Key", the loop of Checkout.java, with wrk as the generator (a fraction of the CPU
-- the JDK's HTTP client took, so the service and PostgreSQL get the machine's cores).
--
--   CHECKOUT_CUSTOMERS_FILE=target/bench/customers.txt   one "access_token variant_id product_id" per
--                                                        line, made by Checkout.java --prepare
--   CHECKOUT_THREADS=2                                    wrk's -t, so each thread gets its own customers
--   wrk -t2 -c64 -d20s -s .ci/bench.d/checkout.lua http://127.0.0.1:8080
--
-- A customer has one request in flight at a time. Each thread holds as many customers as it has
-- connections: a connection's next request is asked for right after its last answer came in, which
-- returned that answer's customer to the queue, so a customer is always ready. Answers are matched
-- to customers through X-Request-Id, which the service echoes.
--
-- done() prints the lines Checkout.java prints ("checkout customers=... orders_per_s=... errors=...",
-- "cart-add ..."), counted over the whole run; wrk's own latency figures cover adds and checkouts.

local SHIP_TO = '{"name":"Bench","line1":"1 Loop St","city":"Localhost","postal_code":"12345","country":"US"}'

local customers = {}
local file = os.getenv("CHECKOUT_CUSTOMERS_FILE")
for line in io.lines(file or error("checkout.lua: set CHECKOUT_CUSTOMERS_FILE")) do
  local token, variant = line:match("^(%S+)%s+(%S+)")
  if token then customers[#customers + 1] = { token = token, variant = variant } end
end
local nthreads = tonumber(os.getenv("CHECKOUT_THREADS") or "1")
if #customers < nthreads then error("checkout.lua: fewer customers than threads") end

-- ------------------------------------------------------------ main state
local threads = {}

function setup(thread)
  thread:set("slot", #threads)
  threads[#threads + 1] = thread
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local orders, adds, errors, add_errors, kinds = 0, 0, 0, 0, {}
  for _, t in ipairs(threads) do
    orders = orders + t:get("orders")
    adds = adds + t:get("adds")
    errors = errors + t:get("checkout_errors")
    add_errors = add_errors + t:get("add_errors")
    for kind, count in pairs(t:get("error_kinds")) do kinds[kind] = (kinds[kind] or 0) + count end
  end
  local p99 = latency:percentile(99) / 1000
  io.write(string.format("checkout customers=%d orders=%d seconds=%.2f orders_per_s=%.1f p99=%.2fms errors=%d\n",
    #customers, orders, seconds, orders / seconds, p99, errors))
  io.write(string.format("cart-add customers=%d orders=%d seconds=%.2f orders_per_s=%.1f p99=%.2fms errors=%d\n",
    #customers, adds, seconds, adds / seconds, p99, add_errors))
  for kind, count in pairs(kinds) do
    local step, status, type = kind:match("^(%S+) (%S+) (%S+)$")
    io.write(string.format("%s-error step=%s status=%s type=%s count=%d\n",
      step == "add" and "cart-add" or "checkout", step, status, type, count))
  end
end

-- ------------------------------------------------------------ per thread
function init(args)
  ready, mine = {}, {}
  for i = slot + 1, #customers, nthreads do
    local c = customers[i]
    mine[#mine + 1] = { token = c.token, variant = c.variant, step = "add", id = #mine + 1 }
    ready[#ready + 1] = mine[#mine]
  end
  orders, adds, checkout_errors, add_errors, error_kinds, sent = 0, 0, 0, 0, {}, 0
  math.randomseed(os.time() * 7 + slot)
end

local function uuid()
  return string.format("%08x-%04x-4%03x-a%03x-%012x", math.random(0, 0xffffffff), math.random(0, 0xffff),
    math.random(0, 0xfff), math.random(0, 0xfff), math.random(0, 0xffffffff) * 0x1000 + math.random(0, 0xfff))
end

function request()
  if not started then
    -- wrk calls request() once on the first thread's state to check the script, and never sends that
    -- one: a ping there and on every thread's first call, so no customer is lost to it
    started = true
    return wrk.format("GET", "/v1/ping")
  end
  local c = table.remove(ready)
  if c == nil then
    return wrk.format("GET", "/v1/ping")   -- not expected: as many customers as connections
  end
  sent = sent + 1
  local headers = {
    ["Authorization"] = "Bearer " .. c.token,
    ["Accept"] = "application/json",
    ["X-Request-Id"] = "c" .. slot .. "-" .. c.id .. "-" .. sent,
  }
  if c.step == "add" then
    headers["Content-Type"] = "application/json"
    return wrk.format("POST", "/v1/me/cart/items", headers, '{"variant_id":"' .. c.variant .. '","quantity":1}')
  elseif c.step == "checkout" then
    headers["Content-Type"] = "application/json"
    headers["Idempotency-Key"] = uuid()
    return wrk.format("POST", "/v1/me/orders", headers, '{"cart_id":"' .. c.cart .. '","shipping_address":' .. SHIP_TO
      .. ',"billing_postal_code":"12345","payment_token":"tok_visa"}')
  else -- "clear": after a refusal, start again from an empty cart
    return wrk.format("DELETE", "/v1/me/cart/items", headers)
  end
end

local function refused(step, status, body)
  local type = body and body:match('"type"%s*:%s*"https://harmony.example/problems/([^"]+)"') or "-"
  local kind = step .. " " .. status .. " " .. type
  error_kinds[kind] = (error_kinds[kind] or 0) + 1
end

function response(status, headers, body)
  local id = headers["X-Request-Id"] or headers["x-request-id"]
  local index = id and tonumber(id:match("^c%d+%-(%d+)%-"))
  local c = index and mine[index]
  if c == nil then return end            -- the ping above
  if c.step == "add" then
    if status == 200 then
      adds = adds + 1
      c.cart, c.step = body:match('"id"%s*:%s*"([^"]+)"'), "checkout"
    else
      add_errors = add_errors + 1
      refused("add", status, body)
      c.step = "clear"
    end
  elseif c.step == "checkout" then
    if status == 201 then
      orders = orders + 1
      c.step = "add"
    else
      checkout_errors = checkout_errors + 1
      refused("checkout", status, body)
      c.step = "clear"
    end
  else
    c.step = "add"
  end
  ready[#ready + 1] = c
end
