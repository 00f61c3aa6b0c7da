-- The configuration form, prompted from the agent's description of it
-- (providers/list: AuthMethod.fields). Nothing here knows a provider: a new
-- auth method of the agent needs no change in this client.
local async = require('issuebridge.async')
local agent = require('issuebridge')

local M = {}

local function help(field)
  if field.help and field.help ~= '' then
    vim.api.nvim_echo({ { field.label .. ': ' .. field.help, 'Comment' } }, false, {})
  end
end

function M.input(prompt, default, completion)
  return async.await(function(done)
    vim.ui.input({ prompt = prompt, default = default, completion = completion }, done)
  end)
end

function M.select(items, prompt, format)
  return async.await(function(done)
    vim.ui.select(items, { prompt = prompt, format_item = format }, function(item)
      done(item)
    end)
  end)
end

-- Show a generated public key in a scratch buffer for the user to hand to the
-- Jira admin, and keep it in the unnamed register.
local function show_public_key(generated)
  local lines = {
    'The public key of issuebridge key ' .. generated.keyId .. '.',
    "Give it to your Jira admin for the Application Link's incoming authentication:",
    '',
  }
  vim.list_extend(lines, vim.split(generated.publicKeyPem, '\n', { trimempty = true }))
  vim.cmd('new')
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].buftype = 'nofile'
  vim.bo[buf].bufhidden = 'wipe'
  vim.bo[buf].swapfile = false
  vim.api.nvim_buf_set_name(buf, 'issuebridge://public-key/' .. generated.keyId)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = false
  vim.fn.setreg('"', generated.publicKeyPem)
  vim.cmd('wincmd p')
end

local function read_file(path)
  local file, err = io.open(vim.fn.expand(path), 'rb')
  if not file then
    error(err, 0)
  end
  local text = file:read('*a')
  file:close()
  return text
end

local generate = 'Generate a new key pair'
local existing = 'Enter the id of a key generated before'
local none = 'None'
local ready = 'The link has it now: go on'
local later = 'Later: stop here'

-- Raised when the user stops the form (nothing to report).
M.stopped = setmetatable({}, { __tostring = function()
  return 'stopped'
end })

-- One field's value; nil when left empty.
function M.ask(field, current)
  help(field)
  local label = field.label .. (field.required and '' or ' (optional)')
  local value
  if field.kind == 'secret' then
    value = vim.fn.inputsecret(label .. ': ')
  elseif field.kind == 'multilineSecret' then
    local path = M.input(label .. ', read from file: ', nil, 'file')
    if path and path ~= '' then
      value = read_file(path)
    end
  elseif field.kind == 'keyRef' then
    local choice = M.select({ generate, existing, none }, label)
    if choice == generate then
      local generated = agent.call('issuebridge/keys/generate', {})
      show_public_key(generated)
      -- Configure checks the key against the server: the admin adds it first.
      local go_on = M.select(
        { ready, later },
        'Give the public key (in the new buffer, and in the " register) to your Jira admin'
      )
      if go_on ~= ready then
        vim.notify(
          'issuebridge: when the link has the key, run :IssuebridgeConfigure again with key id ' .. generated.keyId,
          vim.log.levels.INFO
        )
        error(M.stopped, 0)
      end
      value = generated.keyId
    elseif choice == existing then
      value = M.input(label .. ': ', current)
    end
  else
    value = M.input(label .. ': ', current or field.default)
  end
  if value == nil or value == '' then
    return nil
  end
  return value
end

-- Optional key fields are alternatives (a generated key or a pasted one): once
-- one has a value, the others are not asked.
local alternatives = { keyRef = true, multilineSecret = true }

local function has_key(method, values, asked)
  for _, field in ipairs(method.fields) do
    if field ~= asked and alternatives[field.kind] and values[field.name] then
      return true
    end
  end
  return false
end

-- Prompt every field of `method` (starting from `initial` values) and configure;
-- a refused field (data.field `fields.NAME`) is asked again with what was
-- entered, at most twice (then its error is raised). Returns the configured
-- instance, or nil when the user left a required field empty.
function M.configure(provider, method, initial)
  local values = vim.deepcopy(initial or {})
  local todo = method.fields
  for attempt = 1, 3 do
    for _, field in ipairs(todo) do
      local value = nil
      if not (alternatives[field.kind] and not field.required and has_key(method, values, field)) then
        value = M.ask(field, values[field.name])
      end
      if value == nil and field.required then
        vim.notify('issuebridge: configure cancelled (' .. field.label .. ' is required)', vim.log.levels.WARN)
        return nil
      end
      values[field.name] = value
    end
    local fields = {}
    for _, field in ipairs(method.fields) do
      fields[field.name] = values[field.name]
    end
    local params = {
      providerId = provider.id,
      authMethod = method.id,
      fields = fields,
      workDoneToken = agent.progress_token(),
    }
    local result, err = agent.try('issuebridge/providers/configure', params)
    if not err then
      return result.instance
    end
    local name = type(err.data.field) == 'string' and err.data.field:match('^fields%.(.+)$')
    local refused
    for _, field in ipairs(method.fields) do
      if field.name == name then
        refused = field
      end
    end
    if not refused or attempt == 3 then
      error(err, 0)
    end
    require('issuebridge.commands').report(err, true)
    todo = { refused }
  end
  return nil
end

return M
