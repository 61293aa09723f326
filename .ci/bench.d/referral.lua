-- wrk script: record referral visits as browsers arriving from many addresses would. The body comes
-- from WRK_BODY; each request names another client in X-Forwarded-For (the --start instance trusts
-- 127.0.0.1 as its proxy), so the per-client visit throttle counts each client on its own row, as in
-- real traffic, instead of serialising every request on one hot row.
wrk.method = "POST"
wrk.body = os.getenv("WRK_BODY") or "{}"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["User-Agent"] = "Mozilla/5.0 (bench)"

request = function()
  local ip = "10." .. math.random(0, 255) .. "." .. math.random(0, 255) .. "." .. math.random(1, 254)
  return wrk.format(nil, nil, { ["X-Forwarded-For"] = ip }, nil)
end
