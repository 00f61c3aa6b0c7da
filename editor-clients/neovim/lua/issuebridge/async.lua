-- Commands are coroutines: a prompt (vim.ui.select/input) or a request to the
-- agent suspends the command without blocking the editor, and the callback
-- resumes it. Errors end the command with a message instead of a traceback.
local M = {}

-- Run `fn` as a command; `on_error(err)` gets whatever it raised.
function M.run(fn, on_error)
  local co = coroutine.create(fn)
  local function step(...)
    local ok, err = coroutine.resume(co, ...)
    if not ok and on_error then
      on_error(err)
    end
  end
  M._steps[co] = step
  step()
end

M._steps = setmetatable({}, { __mode = 'k' })

-- Suspend the running command until `start(done)` calls `done(value)`; returns
-- the value. A callback called at once (a stubbed or synchronous vim.ui.select)
-- returns at once, since a running coroutine cannot be resumed.
function M.await(start)
  local co = coroutine.running()
  assert(co and M._steps[co], 'issuebridge: await outside a command')
  local returned, settled, value = false, false, nil
  start(function(v)
    if returned then
      M._steps[co](v)
    else
      settled, value = true, v
    end
  end)
  returned = true
  if settled then
    return value
  end
  return coroutine.yield()
end

return M
