-- wrk script: rotates over a list of targets at random and counts answers by status.
--   wrk -s rotate.lua URL -- TARGETS.tsv fresh|revalidate
-- TARGETS.tsv: one "path<TAB>token-or-dash<TAB>etag" line per target. In "revalidate" mode each request
-- carries If-None-Match with the target's ETag (as a polling client does), in "fresh" mode none does.
-- done() prints one "RESULT key=value …" line that run.sh collects into results.md.

local threads = {}
local next_id = 0

function setup(thread)
    thread:set("tid", next_id)
    next_id = next_id + 1
    table.insert(threads, thread)
end

function init(args)
    local file, mode = args[1], args[2] or "fresh"
    reqs = {}
    for line in io.lines(file) do
        local path, token, etag = line:match("^([^\t]+)\t([^\t]+)\t?(.*)$")
        if path then
            local headers = {}
            if token ~= "-" then headers["Authorization"] = "Bearer " .. token end
            if mode == "revalidate" and etag ~= "" then headers["If-None-Match"] = etag end
            table.insert(reqs, wrk.format("GET", path, headers))
        end
    end
    n = #reqs
    math.randomseed(1234 + tid)
    c2xx, c304, cother = 0, 0, 0
end

function request()
    return reqs[math.random(n)]
end

function response(status, headers, body)
    if status == 304 then
        c304 = c304 + 1
    elseif status >= 200 and status < 300 then
        c2xx = c2xx + 1
    else
        cother = cother + 1
    end
end

function done(summary, latency, requests)
    local s2xx, s304, sother = 0, 0, 0
    for _, t in ipairs(threads) do
        s2xx = s2xx + t:get("c2xx")
        s304 = s304 + t:get("c304")
        sother = sother + t:get("cother")
    end
    local e = summary.errors
    io.write(string.format(
        "RESULT requests=%d duration_us=%d bytes=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d c2xx=%d c304=%d cother=%d errors=%d\n",
        summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(90),
        latency:percentile(99), latency.max, s2xx, s304, sother,
        e.connect + e.read + e.write + e.timeout))
end
