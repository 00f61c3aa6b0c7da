-- issuebridge for Neovim 0.7+: the agent runs as an LSP client of Neovim's own
-- (vim.lsp.start_client), attached to no buffer; the plugin speaks the
-- issuebridge/* methods to it. See editor-clients/neovim/README.md.
local M = {}

M.config = {
  cmd = { 'issuebridge-agent', '--stdio' },
  storage_dir = nil, -- initializationOptions.storageDir; nil: the agent's default
  http = nil, -- initializationOptions.http ({caBundle, proxy, timeoutSeconds, ...})
  log_level = nil, -- initializationOptions.logLevel
  -- Opens a URL in the user's browser; returns true if it did. Used for
  -- window/showDocument and :IssuebridgeOpen. nil: the platform's opener.
  open_url = nil,
  timeout_ms = 30000, -- the default bound of a synchronous request
  issue_limit = 1000, -- issues/fetch limit of :IssuebridgeIssues (the agent allows up to 10000)
  start_timeout_ms = 30000, -- how long the agent may take to answer initialize
  -- Issue keys in documents (issuebridge.keys): attach the agent to file and
  -- gitcommit buffers, so that hover (K), completion (omnifunc) and code actions
  -- work on keys such as CORE-12.
  issue_keys = false,
  issue_keys_keymaps = true, -- K -> hover and omnifunc, where the buffer has none
  issue_keys_exclude = {}, -- filetypes never attached
}

M.state = {
  client_id = nil,
  initialized = false,
  providers = nil, -- the latest providers/list or providers/didChange
  progress = {}, -- token -> {title, message, done}
  fetched = {}, -- issue key -> {instanceId, issue}, from the last :IssuebridgeIssues
}

-- Neovim 0.11 made the client's functions methods (client:request(…)); the
-- dot form that 0.7 needs is deprecated there. (Only 0.7 is tested here.)
local methods = vim.fn.has('nvim-0.11') == 1
local function invoke(client, name, ...)
  if methods then
    return client[name](client, ...)
  end
  return client[name](...)
end

local token_seq = 0

-- A fresh workDoneToken: $/progress under it is shown in the message area.
function M.progress_token()
  token_seq = token_seq + 1
  return 'issuebridge-' .. token_seq
end

function M.setup(opts)
  M.config = vim.tbl_deep_extend('force', M.config, opts or {})
  if M.config.issue_keys then
    require('issuebridge.keys').enable()
  elseif package.loaded['issuebridge.keys'] then
    require('issuebridge.keys').disable()
  end
  return M
end

-- The platform's opener (on Debian `open` is openvt, hence by platform).
local function opener()
  if vim.fn.has('mac') == 1 then
    return { 'open' }
  elseif vim.fn.has('win32') == 1 then
    return { 'rundll32', 'url.dll,FileProtocolHandler' }
  elseif vim.fn.has('wsl') == 1 and vim.fn.executable('wslview') == 1 then
    return { 'wslview' }
  end
  return { 'xdg-open' }
end

local function default_open_url(url)
  local cmd = opener()
  if vim.fn.executable(cmd[1]) ~= 1 then
    return false -- the agent then offers the address and a code instead
  end
  table.insert(cmd, url)
  return vim.fn.jobstart(cmd, { detach = true }) > 0
end

function M.open_url(url)
  local open = M.config.open_url or default_open_url
  local ok, opened = pcall(open, url)
  return ok and opened == true
end

local function echo(text, hl)
  vim.api.nvim_echo({ { text, hl } }, false, {})
end

-- window/showMessage's MessageType -> vim.log.levels.
local levels = {
  [1] = vim.log.levels.ERROR,
  [2] = vim.log.levels.WARN,
  [3] = vim.log.levels.INFO,
  [4] = vim.log.levels.DEBUG,
}

local handlers = {
  -- The agent asks the editor to open the authorize page (or an issue): the
  -- answer says whether it did, and the agent falls back to a pasted code if not.
  ['window/showDocument'] = function(_, params)
    if params.external ~= true and params.uri:match('^file:') then
      -- A document for the editor itself (a guide): a split, after this answer.
      vim.schedule(function()
        vim.cmd('split ' .. vim.fn.fnameescape(vim.uri_to_fname(params.uri)))
      end)
      return { success = true }
    end
    return { success = M.open_url(params.uri) }
  end,
  ['window/showMessage'] = function(_, params)
    vim.notify('issuebridge: ' .. params.message, levels[params.type] or vim.log.levels.INFO)
    return vim.NIL
  end,
  ['$/progress'] = function(_, params)
    local value = params.value or {}
    if value.kind == 'begin' then
      for token, old in pairs(M.state.progress) do
        if old.done then
          M.state.progress[token] = nil
        end
      end
    end
    local entry = M.state.progress[params.token] or {}
    M.state.progress[params.token] = entry
    if value.title then
      entry.title = value.title
    end
    if value.message then
      entry.message = value.message
    end
    if value.kind == 'end' then
      entry.done = true
      echo('')
    else
      local text = 'issuebridge: ' .. (entry.title or '')
      if entry.message then
        text = text .. ': ' .. entry.message
      end
      if value.percentage then
        text = text .. string.format(' (%d%%)', value.percentage)
      end
      echo(text)
    end
  end,
  ['issuebridge/providers/didChange'] = function(_, params)
    M.state.providers = params.providers
    vim.cmd('doautocmd <nomodeline> User IssuebridgeProvidersChanged')
  end,
  -- The agent's log at info and above; Neovim's default would put it in lsp.log.
  ['window/logMessage'] = function() end,
  -- The answer to a command a code action ran ("Create issue from this comment":
  -- the agent has created the issue and sent workspace/applyEdit by now).
  ['workspace/executeCommand'] = function(err, result)
    if err then
      require('issuebridge.commands').report(M.wrap_error(err))
    elseif type(result) == 'table' and type(result.issue) == 'table' then
      local text = string.format('issuebridge: created %s  %s', result.issue.key, result.issue.title or '')
      if result.edited == false then
        text = text .. ' (the line changed meanwhile: the key is not in it)'
      end
      vim.notify(text, vim.log.levels.INFO)
    end
  end,
}

local function capabilities()
  local caps = vim.lsp.protocol.make_client_capabilities()
  -- Neovim 0.7 says it cannot show documents; this client opens them.
  caps.window = caps.window or {}
  caps.window.showDocument = { support = true }
  caps.window.workDoneProgress = true
  return caps
end

local function init_options()
  local options = {}
  if M.config.storage_dir then
    options.storageDir = M.config.storage_dir
  end
  if M.config.http and next(M.config.http) then
    options.http = M.config.http
  end
  if M.config.log_level then
    options.logLevel = M.config.log_level
  end
  if next(options) == nil then
    return vim.empty_dict()
  end
  return options
end

-- Neovim 0.7 answers an initialize error (a malformed setting, which the agent
-- refuses with a message saying which) with an assertion in a callback, and the
-- client then waits forever. Around start_client, catch that answer instead:
-- the rpc object start_client makes is wrapped so that the initialize error is
-- kept (as an agent error) for client() to raise. Where the internals differ
-- (other Neovim versions) nothing is wrapped and Neovim's own handling stays.
local function with_initialize_errors(start, config)
  local rpc = vim.lsp.rpc
  local original = rpc.start
  rpc.start = function(...)
    local started = original(...)
    if type(started) == 'table' and type(started.request) == 'function' then
      local request = started.request
      started.request = function(method, params, callback, ...)
        if method == 'initialize' and type(callback) == 'function' then
          local on_answer = callback
          callback = function(err, result)
            if err then
              M.state.start_error = M.wrap_error(err)
              return
            end
            return on_answer(err, result)
          end
        end
        return request(method, params, callback, ...)
      end
    end
    return started
  end
  local ok, result = pcall(start, config)
  rpc.start = original
  return ok, result
end

-- Start the agent's client without waiting for its initialize answer; returns
-- its id. Neovim sends didOpen for the buffers attached meanwhile once it is
-- initialized (issuebridge.keys attaches file buffers this way).
local function spawn()
  M.state.initialized, M.state.start_error = false, nil
  local started_id
  local spawned, failure = with_initialize_errors(vim.lsp.start_client, {
    name = 'issuebridge',
    cmd = M.config.cmd,
    root_dir = vim.loop.cwd(),
    capabilities = capabilities(),
    init_options = init_options(),
    handlers = handlers,
    on_init = function()
      M.state.initialized = true
    end,
    on_exit = function()
      if M.state.client_id == started_id then
        M.state.client_id, M.state.initialized = nil, false
      end
    end,
  })
  started_id = spawned and failure or nil
  if not started_id then
    -- Neovim 0.7 raises when the command cannot be spawned (not on PATH).
    error(
      string.format(
        "issuebridge: could not start the agent `%s`; install issuebridge or set cmd in require('issuebridge').setup()",
        table.concat(M.config.cmd, ' ')
      ),
      0
    )
  end
  M.state.client_id = started_id
  return started_id
end

-- The id of the agent's client, started (not waited for) when none runs.
-- An agent that refused to initialize is not started again here (a command
-- does that, through M.client): its error is raised instead.
function M.started_client_id()
  local id = M.state.client_id
  local client = id and vim.lsp.get_client_by_id(id)
  if client and not invoke(client, 'is_stopped') then
    if M.state.start_error then
      error(M.state.start_error, 0)
    end
    return id
  end
  return spawn()
end

-- The running agent's client, started on first use.
function M.client()
  local id = M.state.client_id
  local client = id and vim.lsp.get_client_by_id(id)
  if client and not invoke(client, 'is_stopped') then
    -- Another command may have started it a moment ago.
    vim.wait(M.config.start_timeout_ms, function()
      return M.state.initialized or M.state.start_error ~= nil or M.state.client_id ~= id
    end, 10)
    if M.state.initialized then
      return client
    end
    invoke(client, 'stop', true) -- it never answered initialize: start afresh
  end
  local started_id = spawn()
  -- Requests before the initialize answer would be refused by the agent.
  vim.wait(M.config.start_timeout_ms, function()
    return M.state.initialized or M.state.start_error ~= nil or M.state.client_id ~= started_id
  end, 10)
  if M.state.start_error then
    invoke(vim.lsp.get_client_by_id(started_id), 'stop', true)
    M.state.client_id = nil
    error(M.state.start_error, 0)
  end
  if not M.state.initialized then
    -- Neovim 0.7 shows an initialize error (such as a malformed setting) itself.
    local started = vim.lsp.get_client_by_id(started_id)
    if started then
      invoke(started, 'stop', true)
    end
    M.state.client_id = nil
    error('issuebridge: the agent did not start (' .. table.concat(M.config.cmd, ' ') .. '); see :messages', 0)
  end
  return vim.lsp.get_client_by_id(started_id)
end

-- Neovim 0.7 encodes {} as a JSON array; params are objects.
local function object(params)
  if params == nil or (type(params) == 'table' and next(params) == nil) then
    return vim.empty_dict()
  end
  return params
end

-- An agent error as a Lua error value: tostring() is the agent's message.
local Error = {}
Error.__index = Error
Error.__tostring = function(e)
  return e.message
end

function M.is_error(value)
  return getmetatable(value) == Error
end

function M.wrap_error(err)
  return setmetatable({ code = err.code, message = err.message, data = err.data or {} }, Error)
end

-- Send a request; `callback(err, result)` with err an Error value.
function M.send(method, params, callback)
  local client = M.client()
  local ok, request_id = invoke(client, 'request', method, object(params), function(err, result)
    if err then
      callback(M.wrap_error(err), nil)
    else
      callback(nil, result)
    end
  end)
  if not ok then
    error('issuebridge: the agent is not running', 0)
  end
  return request_id
end

M.last_error = nil

-- The contract method, synchronously: its result, or an error whose message is
-- the agent's message (the whole error, with `data`, is in M.last_error).
function M.request(method, params, timeout_ms)
  timeout_ms = timeout_ms or M.config.timeout_ms
  local done, failure, answer = false, nil, nil
  local sent, request_id = pcall(M.send, method, params, function(err, result)
    done, failure, answer = true, err, result
  end)
  if not sent then
    if M.is_error(request_id) then -- the agent refused to start (initialize)
      M.last_error = request_id
      error(request_id.message, 0)
    end
    error(request_id, 0)
  end
  if not vim.wait(timeout_ms, function()
    return done
  end, 10) then
    local client = vim.lsp.get_client_by_id(M.state.client_id)
    if client then
      invoke(client, 'cancel_request', request_id)
    end
    error(string.format('issuebridge: %s got no answer within %d ms', method, timeout_ms), 0)
  end
  if failure then
    M.last_error = failure
    error(failure.message, 0)
  end
  return answer
end

-- Inside a command (issuebridge.async): the request without blocking the
-- editor; returns the result, or nil and the agent's error. (Not pcall around
-- a yield: plain Lua 5.1 builds of Neovim cannot yield across it.)
function M.try(method, params)
  local async = require('issuebridge.async')
  local outcome = async.await(function(done)
    M.send(method, params, function(err, result)
      done({ err = err, result = result })
    end)
  end)
  return outcome.result, outcome.err
end

-- As M.try, raising the agent's error (the command reports it).
function M.call(method, params)
  local result, err = M.try(method, params)
  if err then
    error(err, 0)
  end
  return result
end

function M.stop()
  local client = M.state.client_id and vim.lsp.get_client_by_id(M.state.client_id)
  if client then
    invoke(client, 'stop')
  end
  M.state.client_id, M.state.initialized = nil, false
end

return M
