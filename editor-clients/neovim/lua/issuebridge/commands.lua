-- The :Issuebridge* commands. Each runs as a coroutine (issuebridge.async) so
-- that prompts and long requests (an authorization waits for the browser) do
-- not block the editor.
local agent = require('issuebridge')
local async = require('issuebridge.async')
local form = require('issuebridge.form')

local M = {}

-- data.action (the agent's machine-readable next step) in this client's words.
local next_steps = {
  configure = 'run :IssuebridgeConfigure',
  authorize = 'run :IssuebridgeAuthorize',
  generateKey = 'run :IssuebridgeConfigure and generate a key',
  unlock = 'run :IssuebridgeUnlock with the team passphrase',
  setCaBundle = "trust the server's CA: setup({http = {caBundle = '/path/ca.pem'}})",
  retry = 'try again later',
  repairStorage = 'repair or move aside the storage file named above',
}

-- Show a failure: the agent's message, its hint and the next step (unless the
-- caller takes that step itself: `asking_again`).
function M.report(err, asking_again)
  if err == form.stopped then
    return
  end
  if not agent.is_error(err) then
    vim.notify('issuebridge: ' .. tostring(err), vim.log.levels.ERROR)
    return
  end
  local lines = { 'issuebridge: ' .. err.message }
  if err.data.path then
    table.insert(lines, 'file: ' .. err.data.path)
  end
  if err.data.hint then
    table.insert(lines, err.data.hint)
  end
  if next_steps[err.data.action] and not asking_again then
    table.insert(lines, 'next: ' .. next_steps[err.data.action])
  end
  vim.notify(table.concat(lines, '\n'), vim.log.levels.ERROR)
end

local function run(fn)
  async.run(fn, M.report)
end

local function info(text)
  vim.notify('issuebridge: ' .. text, vim.log.levels.INFO)
end

local function providers()
  local result = agent.call('issuebridge/providers/list', {})
  agent.state.providers = result.providers
  return result.providers, result
end

local function all_instances(list)
  local found = {}
  for _, provider in ipairs(list) do
    for _, instance in ipairs(provider.instances or {}) do
      table.insert(found, instance)
    end
  end
  return found
end

local function describe(instance)
  local who = instance.user and (' as ' .. instance.user.displayName) or ''
  return string.format('%s (%s, %s%s)', instance.baseUrl, instance.authMethod, instance.state, who)
end

-- One of `candidates`, asked only when there are several.
local function pick_instance(candidates, prompt)
  if #candidates == 0 then
    return nil
  end
  if #candidates == 1 then
    return candidates[1]
  end
  return form.select(candidates, prompt, describe)
end

-- What a tracker lacks is absent from its provider's `capabilities`: a command
-- that needs such a method says so before it calls the agent. A provider that
-- lists no capabilities at all (an older agent: Jira Server only) supports all.
-- Returns the sentence to show, or nil when `method` is supported.
function M.unsupported(list, instance_id, method, what)
  for _, provider in ipairs(list or {}) do
    for _, instance in ipairs(provider.instances or {}) do
      if instance.instanceId == instance_id then
        if provider.capabilities == nil or vim.tbl_contains(provider.capabilities, method) then
          return nil
        end
        return string.format('%s does not support %s through issuebridge', provider.name or provider.id, what)
      end
    end
  end
  return nil -- an instance not listed: the agent's own error says so
end

-- Stops the command (as an error, shown by report) when `method` is unsupported.
local function require_method(instance_id, method, what)
  local refused = M.unsupported(agent.state.providers or providers(), instance_id, method, what)
  if refused then
    error(refused, 0)
  end
end

local function connected(list)
  return vim.tbl_filter(function(instance)
    return instance.state == 'connected'
  end, all_instances(list))
end

local function need_connected(list)
  local found = connected(list)
  if #found == 0 then
    error('no connected instance; run :IssuebridgeConfigure (or :IssuebridgeAuthorize)', 0)
  end
  return found
end

function M.providers()
  run(function()
    local list, result = providers()
    local chunks = {}
    for _, provider in ipairs(list) do
      table.insert(chunks, { provider.name .. ' (' .. provider.id .. ')\n', 'Title' })
      for _, method in ipairs(provider.authMethods) do
        table.insert(chunks, { string.format('  %s: %s\n', method.label, method.description) })
      end
      for _, instance in ipairs(provider.instances or {}) do
        local line = '  * ' .. describe(instance)
        if instance.error then
          line = line .. ': ' .. instance.error
        end
        table.insert(chunks, { line .. '\n', instance.state == 'connected' and 'String' or 'WarningMsg' })
      end
    end
    if result.secretStorage and result.secretStorage.kind == 'file' then
      table.insert(chunks, { 'Secrets are kept in ' .. result.secretStorage.path .. ' (mode 0600)\n', 'Comment' })
    end
    vim.api.nvim_echo(chunks, true, {})
  end)
end

function M.configure()
  run(function()
    local list = providers()
    local provider = #list == 1 and list[1]
      or form.select(list, 'Provider', function(p)
        return p.name
      end)
    if not provider then
      return
    end
    -- Configuring an instance again starts from what it has (its base URL and
    -- the non-secret settings the agent lists); secrets are always asked.
    local new = 'A new connection'
    local again = new
    if #(provider.instances or {}) > 0 then
      again = form.select(vim.list_extend({ new }, provider.instances), 'Configure', function(item)
        return item == new and new or ('again: ' .. describe(item))
      end)
      if not again then
        return
      end
    end
    local method, values
    if again ~= new then
      for _, m in ipairs(provider.authMethods) do
        if m.id == again.authMethod then
          method = m
        end
      end
      values = vim.tbl_extend('force', { baseUrl = again.baseUrl }, again.settings or {})
    else
      method = form.select(provider.authMethods, 'Connect to ' .. provider.name .. ' with', function(m)
        return m.label .. ': ' .. m.description
      end)
    end
    if not method then
      return
    end
    if method.guideUrl then
      local guide = method.guideUrl:match('^file:') and vim.uri_to_fname(method.guideUrl) or method.guideUrl
      vim.api.nvim_echo({ { 'Set-up guide (for you and the Jira admin): ' .. guide, 'Comment' } }, true, {})
    end
    local instance = form.configure(provider, method, values)
    if not instance then
      return
    end
    if instance.state == 'connected' then
      info('connected to ' .. describe(instance))
    else
      info('configured ' .. describe(instance) .. '; next: run :IssuebridgeAuthorize')
    end
  end)
end

-- `callback`: "loopback" (the default: the browser comes back to the agent) or
-- "oob" (the user enters the code Jira shows).
function M.authorize(callback)
  run(function()
    -- Instances whose auth method the agent says authorizes in a browser, or
    -- that wait for an authorization.
    local candidates = {}
    for _, provider in ipairs(providers()) do
      local browser = {}
      for _, method in ipairs(provider.authMethods) do
        browser[method.id] = method.authorization ~= nil
      end
      for _, instance in ipairs(provider.instances or {}) do
        if browser[instance.authMethod] or instance.state == 'needsAuthorization' then
          table.insert(candidates, instance)
        end
      end
    end
    local instance = pick_instance(candidates, 'Authorize')
    if not instance then
      error('no instance to authorize; run :IssuebridgeConfigure first', 0)
    end
    info('authorizing ' .. instance.baseUrl .. (callback == 'oob' and '…' or ' in the browser…'))
    local result = agent.call('issuebridge/providers/authorize', {
      instanceId = instance.instanceId,
      callback = callback or 'loopback',
      workDoneToken = agent.progress_token(),
    })
    if result.authorizeUrl then
      -- Out of band, asked for or because no browser could be opened.
      vim.fn.setreg('"', result.authorizeUrl)
      vim.api.nvim_echo({
        { 'Open this address in a browser, allow access, then enter the code:\n', 'Title' },
        { result.authorizeUrl .. '\n' },
      }, true, {})
      local code = form.input('The code or the address the browser shows: ')
      if not code or code == '' then
        info('authorization not finished; run :IssuebridgeAuthorize again')
        return
      end
      result = agent.call('issuebridge/providers/completeAuthorization', {
        instanceId = instance.instanceId,
        verifier = vim.trim(code),
      })
    end
    info('connected to ' .. describe(result.instance))
  end)
end

function M.unlock()
  run(function()
    local candidates = vim.tbl_filter(function(instance)
      return instance.scope == 'team'
    end, all_instances(providers()))
    local instance = pick_instance(candidates, 'Unlock')
    if not instance then
      error('no team instance to unlock', 0)
    end
    local passphrase = vim.fn.inputsecret('Team passphrase: ')
    local result = agent.call('issuebridge/team/unlock', { instanceId = instance.instanceId, passphrase = passphrase })
    info('unlocked ' .. describe(result.instance))
  end)
end

local function issue_line(issue)
  return string.format('%s  %s  [%s]', issue.key, issue.title, issue.status.name)
end

-- The quickfix lists this plugin made: qf list id -> issues by entry index.
M.lists = {}

-- Every issue of every connected instance (the agent pages past the server's
-- cap) in the quickfix list; `query` is the tracker's own syntax (JQL for Jira).
function M.issues(query)
  if query == '' then
    query = nil
  end
  run(function()
    local items, issues = {}, {}
    local instances = need_connected(providers())
    local failures = 0
    for _, instance in ipairs(instances) do
      local result, err = agent.try('issuebridge/issues/fetch', {
        instanceId = instance.instanceId,
        query = query,
        limit = agent.config.issue_limit,
        workDoneToken = agent.progress_token(),
      })
      if err then
        -- One instance failing leaves the others' issues listed.
        failures = failures + 1
        if failures == #instances then
          error(err, 0)
        end
        M.report(err)
        result = { issues = {} }
      elseif result.stale then
        vim.notify(
          string.format(
            'issuebridge: %s is unreachable; the list kept from %s (%s)',
            instance.baseUrl,
            result.fetchedAt,
            result.staleReason or ''
          ),
          vim.log.levels.WARN
        )
      end
      for _, issue in ipairs(result.issues) do
        table.insert(items, { text = issue_line(issue) })
        table.insert(issues, issue)
        agent.state.fetched[issue.key] = { instanceId = instance.instanceId, issue = issue }
      end
    end
    local title = 'issuebridge: ' .. (query or 'my open issues') .. ' (' .. #items .. ')'
    vim.fn.setqflist({}, ' ', { title = title, items = items })
    local id = vim.fn.getqflist({ id = 0 }).id
    M.lists[id] = issues
    vim.cmd('copen')
    M.map_quickfix(vim.api.nvim_get_current_buf())
    info(string.format('%d issues', #items))
  end)
end

-- In our quickfix lists <CR> shows the issue and gx opens it in the browser;
-- elsewhere the keys keep their usual meaning.
function M.map_quickfix(buf)
  local function current_issue()
    local info_ = vim.fn.getqflist({ id = 0, idx = 0 })
    local issues = M.lists[info_.id]
    return issues and issues[vim.fn.line('.')]
  end
  local opts = { buffer = buf, silent = true }
  vim.keymap.set('n', '<CR>', function()
    local issue = current_issue()
    if issue then
      M.show(issue.key)
    else
      vim.cmd(vim.fn.getwininfo(vim.fn.win_getid())[1].loclist == 1 and '.ll' or '.cc')
    end
  end, opts)
  vim.keymap.set('n', 'gx', function()
    local issue = current_issue()
    if issue then
      M.open(issue.key)
    end
  end, opts)
end

-- The instance an issue key belongs to: where it was fetched, else the one
-- connected instance, else asked.
local function instance_for(key)
  local fetched = agent.state.fetched[key]
  if fetched then
    return fetched.instanceId
  end
  local instance = pick_instance(need_connected(providers()), 'Instance of ' .. key)
  return instance and instance.instanceId
end

local function normalise_key(key)
  key = vim.trim(key or '')
  if key == '' then
    error('give an issue key, e.g. :IssuebridgeShow CORE-12', 0)
  end
  return key:upper()
end

function M.open(key)
  run(function()
    key = normalise_key(key)
    local fetched = agent.state.fetched[key]
    local url = fetched and fetched.issue.url
    if not url then
      local instance_id = instance_for(key)
      require_method(instance_id, 'issuebridge/issues/get', 'reading issues')
      url = agent.call('issuebridge/issues/get', { instanceId = instance_id, key = key }).issue.url
    end
    if not agent.open_url(url) then
      vim.fn.setreg('"', url)
      info('open ' .. url)
    end
  end)
end

function M.show(key)
  run(function()
    key = normalise_key(key)
    local instance_id = instance_for(key)
    require_method(instance_id, 'issuebridge/issues/get', 'reading issues')
    local issue = agent.call('issuebridge/issues/get', { instanceId = instance_id, key = key }).issue
    require('issuebridge.view').float(issue)
  end)
end

-- Assign to me and move to in progress; with `checkout` also create (or switch
-- to) the suggested git branch in the current directory.
function M.start(key, checkout)
  run(function()
    key = normalise_key(key)
    local instance_id = instance_for(key)
    require_method(instance_id, 'issuebridge/issues/startWork', 'Start Work')
    local result = agent.call('issuebridge/issues/startWork', { instanceId = instance_id, key = key })
    local issue = result.issue
    local text = string.format('%s is %s, assigned to you; branch %s', issue.key, issue.status.name, result.branchName)
    if checkout then
      local out = vim.fn.system({ 'git', 'checkout', '-b', result.branchName })
      if vim.v.shell_error ~= 0 then
        out = vim.fn.system({ 'git', 'checkout', result.branchName })
      end
      if vim.v.shell_error ~= 0 then
        error('git could not check out ' .. result.branchName .. ': ' .. vim.trim(out), 0)
      end
      text = text .. ' (checked out)'
    end
    info(text)
  end)
end

function M.complete_key(lead)
  local keys = {}
  for key in pairs(agent.state.fetched) do
    if key:find(lead:upper(), 1, true) == 1 then
      table.insert(keys, key)
    end
  end
  table.sort(keys)
  return keys
end

return M
