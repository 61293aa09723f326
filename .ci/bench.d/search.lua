-- wrk script: catalog search with the query rotating over words of the sample catalog's titles, so the
-- figure is not one query answered from the cache over and over (each distinct query is a cache entry).
local words = {"linen", "cotton", "merino", "wool", "shirt", "sweater", "denim", "leather", "canvas", "towels",
  "duvet", "pillow", "skillet", "coffee", "stoneware", "tent", "hiking", "trekking", "backpack", "bottle",
  "blanket", "jeans", "shorts", "scarf", "silk", "walnut", "knife", "stove", "sunglasses", "waffle"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/v1/products?q=" .. words[(i % #words) + 1] .. "&limit=20")
end
