-- Like or unlike a random seeded article as one logged-in reader, the way
-- the site's script does (form body, CSRF header, JSON answer).
local articles = tonumber(os.getenv("ARTICLES"))
local headers = {
  ["Cookie"] = os.getenv("COOKIE"),
  ["X-CSRF-Token"] = os.getenv("CSRF"),
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Accept"] = "application/json",
}
math.randomseed(os.time())

request = function()
  local action = math.random(2) == 1 and "like" or "unlike"
  local path = "/articles/seed-article-" .. math.random(1, articles) .. "/like"
  return wrk.format("POST", path, headers, "action=" .. action)
end
