-- Comment on a random seeded article as one logged-in reader.
local articles = tonumber(os.getenv("ARTICLES"))
local headers = {
  ["Cookie"] = os.getenv("COOKIE"),
  ["X-CSRF-Token"] = os.getenv("CSRF"),
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Accept"] = "application/json",
}
math.randomseed(os.time())

request = function()
  local path = "/articles/seed-article-" .. math.random(1, articles) .. "/comments"
  return wrk.format("POST", path, headers, "body=A+benchmark+comment.")
end
