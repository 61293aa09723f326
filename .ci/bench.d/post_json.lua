-- wrk script: POST a JSON body (for targets such as sign-in).
-- The body comes from the environment, so one script serves every JSON endpoint:
--   WRK_BODY='{"email":"bench@example.com","password":"..."}' wrk -s .ci/bench.d/post_json.lua URL
wrk.method = "POST"
wrk.body = os.getenv("WRK_BODY") or "{}"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
