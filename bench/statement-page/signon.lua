-- wrk script: every request is a new organisation signing the statement: a unique
-- name and email (thread id + counter + run prefix) from its own client address
-- (X-Forwarded-For; the app trusts the loopback proxy), with the Origin the CSRF
-- check wants. Responses are counted by status so the runner can match them with
-- the rows in the database.
--   wrk ... -s signon.lua <base url> -- <run prefix> <origin> <path>
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  prefix = args[1] or "run"
  origin = args[2] or ""
  path = args[3] or "/"
  counter = 0
  statuses = {}
end

function request()
  counter = counter + 1
  local n = prefix .. "-" .. id .. "-" .. counter
  local body = "name=Bench+Signatory+" .. n .. "&acronym=&country=NO&website=&contact_name=Bench+Contact&contact_title=Director"
    .. "&email=bench-" .. n .. "%40signatory.example&note=&consent=yes&fax_number="
  local ip = "10." .. id .. "." .. (math.floor(counter / 250) % 250) .. "." .. (counter % 250 + 1)
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Origin"] = origin,
    ["X-Forwarded-For"] = ip,
  }, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  local sent = 0
  for _, thread in ipairs(threads) do
    sent = sent + thread:get("counter")
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  io.write("SIGNON-SENT " .. sent .. "\n")
  for status, count in pairs(total) do
    io.write("SIGNON-STATUS " .. status .. " " .. count .. "\n")
  end
end
