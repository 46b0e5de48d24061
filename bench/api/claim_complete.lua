-- wrk script: each connection is one agent doing claim-next then complete,
-- again and again (run with -t N -c N so each thread has one connection and
-- its state below is that connection's). Tokens come after "--", one per thread.
local threads = {}
local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("id", counter)
    table.insert(threads, thread)
end

function init(args)
    token = args[((id - 1) % #args) + 1]
    headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}
    pending = nil
    phase = nil
    pairs_done = 0
    empty = 0
end

function request()
    if pending then
        phase = "complete"
        local path = "/tasks/" .. pending .. "/complete"
        pending = nil
        return wrk.format("POST", path, headers, '{"outcome": "DONE"}')
    end
    phase = "claim"
    return wrk.format("POST", "/tasks/claim-next", headers, '{"queues": ["Q1", "Q2", "Q3", "Q4", "Q5"]}')
end

function response(status, hdrs, body)
    if phase == "claim" then
        pending = status == 200 and body:match('"task_id":%s*"([^"]+)"') or nil
        if not pending then empty = empty + 1 end
    elseif status == 200 then
        pairs_done = pairs_done + 1
    else
        empty = empty + 1
    end
end

function done(summary, latency, requests)
    local total, refused = 0, 0
    for _, t in ipairs(threads) do
        total = total + t:get("pairs_done")
        refused = refused + t:get("empty")
    end
    io.write(string.format("pgwf pairs %d refused %d seconds %.3f\n",
                           total, refused, summary.duration / 1e6))
end
