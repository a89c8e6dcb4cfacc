-- GET a random seeded article: /articles/seed-article-N, N in 1..ARTICLES.
local articles = tonumber(os.getenv("ARTICLES"))
math.randomseed(os.time())

request = function()
  return wrk.format("GET", "/articles/seed-article-" .. math.random(1, articles))
end
