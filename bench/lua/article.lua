-- GET a random seeded article: PREFIX/articles/seed-article-N, N in
-- 1..ARTICLES (PREFIX is empty for the site's page, /api for the API).
local articles = tonumber(os.getenv("ARTICLES"))
local prefix = os.getenv("PREFIX") or ""
math.randomseed(os.time())

request = function()
  return wrk.format("GET", prefix .. "/articles/seed-article-" .. math.random(1, articles))
end
