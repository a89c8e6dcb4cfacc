-- As one logged-in reader, the way the site's script does it (form body,
-- CSRF header, JSON answer), on a random seeded article:
-- ACTION=like likes or unlikes it; ACTION=comment comments on it.
local articles = tonumber(os.getenv("ARTICLES"))
local action = os.getenv("ACTION")
local headers = {
  ["Cookie"] = os.getenv("COOKIE"),
  ["X-CSRF-Token"] = os.getenv("CSRF"),
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Accept"] = "application/json",
}
math.randomseed(os.time())

request = function()
  local article = "/articles/seed-article-" .. math.random(1, articles)
  if action == "comment" then
    return wrk.format("POST", article .. "/comments", headers, "body=A+benchmark+comment.")
  end
  local choice = math.random(2) == 1 and "like" or "unlike"
  return wrk.format("POST", article .. "/like", headers, "action=" .. choice)
end
