-- The plugin in a real Neovim, headless, against the agent and the Jira
-- simulator started by test/run.sh. The user's side is scripted by replacing
-- vim.ui.select, vim.ui.input, vim.fn.inputsecret, vim.notify and the browser;
-- everything else (commands, the LSP client, the agent, HTTP) is real.
-- Waits are on conditions, never on a clock.
local python, base, helper = vim.env.IB_PYTHON, vim.env.IB_SIM_URL, vim.env.IB_SIM_HELPER
local MINE = 'assignee = currentUser() AND resolution = Unresolved ORDER BY updated DESC'
local WEB = 'project = WEB AND assignee = currentUser() ORDER BY key ASC'
local CAP = 20

-- The report goes to stdout; Neovim's messages (stderr when headless) to a log.
local function say(text)
  io.stdout:write(text .. '\n')
  io.stdout:flush()
end

local function sim(...)
  local out = vim.fn.system({ python, helper, base, ... })
  assert(vim.v.shell_error == 0, 'sim.py ' .. table.concat({ ... }, ' ') .. ' failed: ' .. out)
  return vim.json.decode(out)
end

local function wait_for(what, condition, ms)
  if not vim.wait(ms or 30000, condition, 20) then
    error('timed out waiting for ' .. what, 2)
  end
end

local function check(condition, message)
  if not condition then
    error(message, 2)
  end
end

-- The scripted user ------------------------------------------------------

local notes, prompts, opened = {}, {}, {}
local script = {} -- prompt pattern -> answer (a value, or a function of the prompt)

-- The agent offers several trackers; these tests connect to the Jira simulator.
local PROVIDER = 'Jira Server / Data Center'

local function answer(kind, prompt, fallback, default)
  table.insert(prompts, kind .. ': ' .. prompt)
  if prompt == 'Provider' and script[prompt] == nil then
    return PROVIDER
  end
  for pattern, value in pairs(script) do
    if prompt:find(pattern, 1, true) then
      if type(value) == 'function' then
        return value(prompt, default)
      end
      return value
    end
  end
  table.insert(notes, { msg = 'UNEXPECTED PROMPT ' .. prompt, level = vim.log.levels.ERROR, unexpected = true })
  return fallback
end

local real_ui = { select = vim.ui.select, input = vim.ui.input, inputsecret = vim.fn.inputsecret }

vim.ui.select = function(items, opts, on_choice)
  local want = answer('select', opts.prompt or '')
  for _, item in ipairs(items) do
    local text = opts.format_item and opts.format_item(item) or tostring(item)
    if want and text:find(want, 1, true) then
      return on_choice(item)
    end
  end
  on_choice(nil)
end
vim.ui.input = function(opts, on_confirm)
  on_confirm(answer('input', opts.prompt or '', nil, opts.default))
end
vim.fn.inputsecret = function(prompt)
  return answer('secret', prompt, '') or ''
end
vim.notify = function(msg, level)
  table.insert(notes, { msg = msg, level = level })
end

-- The browser: records every URL; an authorize page is loaded as a browser
-- would (in the background, following the redirect to the agent's callback).
local function browser(url)
  table.insert(opened, url)
  if url:find('/plugins/servlet/oauth/authorize', 1, true) or url:find('/rest/oauth2/latest/authorize', 1, true) then
    vim.fn.jobstart({ python, helper, base, 'browse', url })
  end
  return true
end

local function note_matching(pattern, from)
  for i = from or 1, #notes do
    if notes[i].msg:find(pattern, 1, true) then
      return notes[i]
    end
  end
end

-- Run an :Issuebridge command and wait for a note containing `pattern`.
local function command(cmd, pattern)
  local from = #notes + 1
  vim.cmd(cmd)
  local found
  wait_for(cmd .. ' to say "' .. pattern .. '"', function()
    found = note_matching(pattern, from)
    return found ~= nil
  end)
  return found, from
end

-- Setup ------------------------------------------------------------------

vim.cmd('runtime plugin/issuebridge.lua')
local ib = require('issuebridge').setup({
  cmd = { python, '-m', 'agent', '--stdio' },
  storage_dir = vim.env.IB_STORAGE,
  http = { timeoutSeconds = 20 },
  open_url = browser,
})
local qf_issues = require('issuebridge.commands').lists

local alice
for _, user in ipairs(sim('admin', 'GET', 'users')) do
  if user.name == 'alice' then
    alice = user
  end
end
check(alice and alice.pat, 'the simulator lists alice with a token')

local function instances()
  return ib.request('issuebridge/providers/list', {}).providers[1].instances
end

-- The keys :IssuebridgeIssues put in the newest quickfix list, checked line by line.
local function quickfix_keys()
  local list = vim.fn.getqflist({ id = 0, items = 1, title = 1 })
  check(list.title:find('issuebridge', 1, true), 'the quickfix list is issuebridge\'s: ' .. list.title)
  local issues = qf_issues[list.id]
  local keys = {}
  for i, item in ipairs(list.items) do
    local issue = issues[i]
    local want = string.format('%s  %s  [%s]', issue.key, issue.title, issue.status.name)
    check(item.text == want, string.format('entry %d is "KEY  title  [status]": %q', i, item.text))
    table.insert(keys, item.text:match('^(%S+)  '))
  end
  return keys
end

local function same_keys(got, want, what)
  local a, b = vim.list_extend({}, got), vim.list_extend({}, want)
  table.sort(a)
  table.sort(b)
  check(#a == #b, string.format('%s: %d keys listed, the simulator has %d', what, #a, #b))
  for i = 1, #a do
    check(a[i] == b[i], string.format('%s: %s listed where the simulator has %s', what, a[i], b[i]))
  end
end

local tests = {}

tests[#tests + 1] = {
  ':IssuebridgeProviders lists the agent\'s providers and methods',
  function()
    vim.cmd('IssuebridgeProviders')
    wait_for('the providers in :messages', function()
      return vim.api.nvim_exec('messages', true):find('Personal access token', 1, true) ~= nil
    end)
    local messages = vim.api.nvim_exec('messages', true)
    check(messages:find('Jira Server / Data Center (jira-server)', 1, true), messages)
    check(messages:find('OAuth 1.0a', 1, true), messages)
    local storage = ib.request('issuebridge/providers/list', {}).secretStorage
    if storage and storage.kind == 'file' then
      check(storage.path:find(vim.env.IB_STORAGE, 1, true) == 1, 'storage_dir is used: ' .. storage.path)
    end
  end,
}

tests[#tests + 1] = {
  'a wrong token: the agent\'s message is shown, nothing is stored',
  function()
    local wrong = 'wrong-' .. string.rep('x', 38)
    local fields = { baseUrl = base, token = wrong }
    local params = { providerId = 'jira-server', authMethod = 'token', fields = fields }
    local ok, expected = pcall(ib.request, 'issuebridge/providers/configure', params)
    check(not ok and type(expected) == 'string' and #expected > 0, 'request() raised the agent\'s message')
    check(ib.last_error.code == -32001, 'authenticationFailed, got ' .. tostring(ib.last_error.code))
    script = { ['Connect to'] = 'Personal access token', ['Jira base URL'] = base, ['Personal access token'] = wrong }
    local shown = command('IssuebridgeConfigure', expected)
    check(shown.level == vim.log.levels.ERROR, 'shown as an error')
    check(shown.msg:find('next: run :IssuebridgeConfigure', 1, true) or note_matching('cancelled'), shown.msg)
    check(#instances() == 0, 'a refused configure stores nothing')
    for _, note in ipairs(notes) do
      check(not note.msg:find(wrong, 1, true), 'the token is never shown')
    end
  end,
}

tests[#tests + 1] = {
  ':IssuebridgeConfigure with a token connects; a refused field is asked again',
  function()
    local urls = { 'ftp://jira.example.com', base }
    local changed = 0
    vim.api.nvim_create_autocmd('User', {
      pattern = 'IssuebridgeProvidersChanged',
      callback = function()
        changed = changed + 1
      end,
    })
    -- Neovim's own prompts this time (inputlist, input, inputsecret), fed typed keys:
    -- the provider (Jira Server, listed first), the method, a base URL the agent
    -- refuses, the token, then the URL again (<C-u> clears what the prompt starts
    -- with: the refused one).
    local stubs = { select = vim.ui.select, input = vim.ui.input, inputsecret = vim.fn.inputsecret }
    vim.ui.select, vim.ui.input, vim.fn.inputsecret = real_ui.select, real_ui.input, real_ui.inputsecret
    local ok, err = pcall(function()
      for _, keys in ipairs({ '1\r', '1\r', urls[1] .. '\r', alice.pat .. '\r', '\21' .. urls[2] .. '\r' }) do
        vim.api.nvim_feedkeys(keys, 't', false)
      end
      local _, from = command('IssuebridgeConfigure', 'connected to')
      check(vim.fn.getchar(0) == 0, 'every typed key was read by a prompt')
      return from
    end)
    vim.ui.select, vim.ui.input, vim.fn.inputsecret = stubs.select, stubs.input, stubs.inputsecret
    check(ok, err)
    local from = err
    -- The agent's refusal, without a next step: the form asks the URL again itself.
    local refused = note_matching('ftp://', from)
    check(refused and refused.level == vim.log.levels.ERROR, 'the refusal was shown: ' .. vim.inspect(notes))
    check(not refused.msg:find('next:', 1, true), refused.msg)
    local instance = instances()[1]
    check(instance.state == 'connected' and instance.user.name == 'alice', vim.inspect(instance))
    wait_for('providers/didChange', function()
      return changed > 0
    end)
    check(ib.state.providers[1].instances[1].state == 'connected', 'didChange keeps the providers')
    for _, note in ipairs(notes) do
      check(not note.msg:find(alice.pat, 1, true), 'the token is never shown')
    end
  end,
}

local function default(_, value)
  return value
end

tests[#tests + 1] = {
  ':IssuebridgeConfigure again starts from the instance\'s settings',
  function()
    local defaults = {}
    script = {
      ['Configure'] = 'again: ' .. base,
      ['Jira base URL'] = function(_, value)
        table.insert(defaults, value)
        return value
      end,
      ['Personal access token'] = alice.pat,
    }
    command('IssuebridgeConfigure', 'connected to')
    check(defaults[1] == base, 'the base URL was filled in: ' .. tostring(defaults[1]))
    check(#instances() == 1, 'the same instance')
  end,
}

tests[#tests + 1] = {
  ':IssuebridgeIssues lists every issue of the user past the page cap',
  function()
    sim('admin', 'PUT', 'cap', vim.json.encode({ maxResults = CAP }))
    local expected = sim('search', alice.pat, MINE)
    check(expected.total > 2 * CAP, 'alice has more issues than two pages: ' .. expected.total)
    command('IssuebridgeIssues', 'issues')
    same_keys(quickfix_keys(), expected.keys, 'my open issues')
    check(vim.fn.getqflist({ winid = 0 }).winid ~= 0, 'the quickfix window is open')
    local progressed = false
    for _, entry in pairs(ib.state.progress) do
      progressed = progressed or (entry.title ~= nil and entry.done == true)
    end
    check(progressed, '$/progress was reported and ended')
  end,
}

tests[#tests + 1] = {
  ':IssuebridgeIssues JQL runs that query',
  function()
    local expected = sim('search', alice.pat, WEB)
    check(expected.total > 0, 'alice has WEB issues')
    command('IssuebridgeIssues ' .. WEB, 'issues')
    same_keys(quickfix_keys(), expected.keys, WEB)
  end,
}

tests[#tests + 1] = {
  'the server away: the kept list, saying so',
  function()
    local expected = sim('search', alice.pat, WEB)
    sim('admin', 'PUT', 'network', vim.json.encode({ down = true }))
    local ok, err = pcall(command, 'IssuebridgeIssues ' .. WEB, 'issues')
    sim('admin', 'PUT', 'network', vim.json.encode({ down = false }))
    check(ok, err)
    check(note_matching('is unreachable; the list kept from'), 'the staleness was shown: ' .. vim.inspect(notes))
    same_keys(quickfix_keys(), expected.keys, 'the kept list')
  end,
}

tests[#tests + 1] = {
  ':IssuebridgeShow, :IssuebridgeOpen, :IssuebridgeStart',
  function()
    local key = quickfix_keys()[1]
    local instance_id = instances()[1].instanceId
    local body = 'Seen on the staging server.\r\nSecond line: ünïcode 🚀'
    ib.request('issuebridge/issues/comment', { instanceId = instance_id, key = key, body = body })
    local before = #vim.api.nvim_list_wins()
    vim.cmd('IssuebridgeShow ' .. key)
    local float
    wait_for('the floating window', function()
      for _, win in ipairs(vim.api.nvim_list_wins()) do
        if vim.api.nvim_win_get_config(win).relative ~= '' then
          float = win
        end
      end
      return float ~= nil
    end)
    local lines = vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(float), 0, -1, false)
    check(lines[1]:find(key, 1, true) == 1, 'the float starts with the key: ' .. lines[1])
    local text = table.concat(lines, '\n')
    check(text:find('Comments (', 1, true), 'the float has the comments')
    check(text:find('    Seen on the staging server.\n    Second line: ünïcode 🚀', 1, true), text)
    check(text:find('Alice Anderson, ', 1, true), 'the comment\'s author: ' .. text)
    vim.cmd('close')
    check(#vim.api.nvim_list_wins() == before, 'q/close leaves the layout as it was')

    -- In the quickfix window: <CR> shows the entry's issue, gx opens it.
    local keys = quickfix_keys()
    vim.fn.win_gotoid(vim.fn.getqflist({ winid = 0 }).winid)
    vim.api.nvim_win_set_cursor(0, { 2, 0 })
    vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes('<CR>', true, false, true), 'x', false)
    float = nil
    wait_for('the floating window of the second entry', function()
      for _, win in ipairs(vim.api.nvim_list_wins()) do
        if vim.api.nvim_win_get_config(win).relative ~= '' then
          float = win
        end
      end
      return float ~= nil
    end)
    local first = vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(float), 0, 1, false)[1]
    check(first:find(keys[2], 1, true) == 1, '<CR> showed ' .. keys[2] .. ': ' .. first)
    vim.api.nvim_feedkeys('q', 'x', false)
    check(#vim.api.nvim_list_wins() == before, 'q closed the float')
    check(vim.bo.buftype == 'quickfix', 'back in the quickfix window: ' .. vim.bo.buftype)
    vim.api.nvim_feedkeys('gx', 'x', false)
    wait_for('gx to open ' .. keys[2], function()
      return opened[#opened] == base .. '/browse/' .. keys[2]
    end)
    vim.cmd('wincmd p')

    vim.cmd('IssuebridgeOpen ' .. key) -- nothing to say when the browser opened it
    wait_for('the browser', function()
      return opened[#opened] == base .. '/browse/' .. key
    end)

    local todo = sim('search', alice.pat, (MINE:gsub(' ORDER BY', ' AND statusCategory = new ORDER BY')))
    local start = todo.keys[1]
    command('IssuebridgeStart ' .. start, 'assigned to you; branch ' .. start)
    local issue = ib.request('issuebridge/issues/get', { instanceId = instances()[1].instanceId, key = start }).issue
    check(issue.status.category == 'inProgress', start .. ' is in progress: ' .. issue.status.name)

    -- With ! the branch is checked out, in the current directory's repository.
    local repo = vim.fn.tempname()
    vim.fn.mkdir(repo, 'p')
    vim.fn.system({ 'git', 'init', '-q', repo })
    local cwd = vim.loop.cwd()
    vim.cmd('cd ' .. vim.fn.fnameescape(repo))
    local ok, err = pcall(function()
      local second = todo.keys[2]
      local said = command('IssuebridgeStart! ' .. second, '(checked out)')
      local branch = vim.trim(vim.fn.system({ 'git', 'symbolic-ref', '--short', 'HEAD' }))
      local named = said.msg:find('branch ' .. branch .. ' ', 1, true)
      check(named and branch:find(second, 1, true) == 1, said.msg .. ' / HEAD: ' .. branch)
    end)
    vim.cmd('cd ' .. vim.fn.fnameescape(cwd))
    check(ok, err)
  end,
}

-- Issue keys in documents: the agent attached to a file buffer (issue_keys).

-- The floating window whose buffer has a line containing `text`, or nil.
local function float_with(text)
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= '' then
      local lines = vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false)
      if table.concat(lines, '\n'):find(text, 1, true) then
        return win, lines
      end
    end
  end
end

local function keys_file(lines)
  local file = vim.fn.tempname() .. '.py'
  vim.fn.writefile(lines, file)
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  wait_for('the agent attached to ' .. file, function()
    return ib.state.client_id ~= nil and vim.lsp.buf_is_attached(buf, ib.state.client_id)
  end)
  return buf, file
end

local function document_links(buf)
  return ib.request('textDocument/documentLink', { textDocument = { uri = vim.uri_from_bufnr(buf) } })
end

tests[#tests + 1] = {
  'issue keys: a file buffer is attached; documentLink follows its edits; :IssuebridgeOpenKey',
  function()
    local keys = sim('search', alice.pat, WEB).keys
    ib.setup({ issue_keys = true })
    local prefix = '# see '
    local buf = keys_file({ '# notes', prefix .. keys[1] .. ' for why', 'x = 1  # UTF-8 is not a key' })
    check(vim.fn.maparg('K', 'n') ~= '', 'K is mapped in the buffer')
    check(vim.bo[buf].omnifunc == 'v:lua.vim.lsp.omnifunc', 'omnifunc: ' .. vim.bo[buf].omnifunc)
    -- What didOpen gave the agent: one link, to the issue (UTF-8 is no key).
    local links = document_links(buf)
    check(#links == 1 and links[1].target == base .. '/browse/' .. keys[1], vim.inspect(links))
    check(links[1].range.start.line == 1 and links[1].range.start.character == #prefix, vim.inspect(links))

    -- An edit (incremental didChange) before a line with a non-ASCII character:
    -- the new key's link starts at its UTF-16 column.
    local second = keys[2]
    vim.api.nvim_buf_set_lines(buf, 0, 1, false, { '# ünïcode 🚀 ' .. second })
    links = document_links(buf)
    local targets = {}
    for _, link in ipairs(links) do
      targets[link.target] = link.range.start
    end
    local start = targets[base .. '/browse/' .. second]
    check(#links == 2 and start ~= nil, vim.inspect(links))
    check(start.line == 0 and start.character == 13, 'UTF-16 column 13: ' .. vim.inspect(start))

    -- :IssuebridgeOpenKey opens the key under the cursor.
    vim.api.nvim_win_set_cursor(0, { 1, #'# ünïcode 🚀 ' + 1 })
    vim.cmd('IssuebridgeOpenKey')
    wait_for(':IssuebridgeOpenKey to open ' .. second, function()
      return opened[#opened] == base .. '/browse/' .. second
    end)
    -- Special buffers are left alone.
    vim.cmd('new')
    vim.bo.buftype = 'nofile'
    check(not require('issuebridge.keys').attach(0), 'a nofile buffer is not attached')
    vim.cmd('close')
    vim.cmd('bwipeout!')
  end,
}

tests[#tests + 1] = {
  'issue keys: K on a key shows the issue\'s hover float with its title and status',
  function()
    local issue = sim('issue', alice.pat, sim('search', alice.pat, WEB).keys[1])
    local prefix = '# see '
    keys_file({ '# notes', prefix .. issue.key .. ' for why' })
    vim.api.nvim_win_set_cursor(0, { 2, #prefix + 2 })
    vim.api.nvim_feedkeys('K', 'x', false)
    local float, lines
    wait_for('the hover of ' .. issue.key .. ' with its title', function()
      float, lines = float_with(issue.summary)
      return float ~= nil
    end)
    local text = table.concat(lines, '\n')
    check(text:find(issue.key, 1, true), 'the hover names the key: ' .. text)
    check(text:find(issue.status, 1, true), 'the hover has the status ' .. issue.status .. ': ' .. text)
    vim.api.nvim_win_close(float, true)
    vim.cmd('bwipeout!')
  end,
}

tests[#tests + 1] = {
  'issue keys: the code action creates an issue from a TODO and the line then shows its key',
  function()
    local key = sim('search', alice.pat, WEB).keys[1]
    local buf = keys_file({ '# about ' .. key, 'def load():', '    # TODO: rework the cache', '    pass' })
    script = { ['Code actions'] = 'Create issue from this comment' }
    local from = #notes + 1
    vim.api.nvim_win_set_cursor(0, { 3, 6 })
    vim.lsp.buf.code_action()
    local created
    wait_for('the TODO line to name the new issue', function()
      local line = vim.api.nvim_buf_get_lines(buf, 2, 3, false)[1]
      created = line:match('^    # TODO: (WEB%-%d+)$')
      return created ~= nil
    end)
    local issue = sim('issue', alice.pat, created)
    check(issue.summary == 'rework the cache', 'the summary is the TODO text: ' .. issue.summary)
    local said
    wait_for('the agent\'s answer', function()
      said = note_matching('created ' .. created, from)
      return said ~= nil
    end)
    check(said.level == vim.log.levels.INFO, vim.inspect(said))
    check(vim.bo[buf].modified, 'the edit is in the buffer, not yet written')
    vim.cmd('bwipeout!')
  end,
}

tests[#tests + 1] = {
  'issue keys: completion after WEB- (what omnifunc asks) offers WEB issues with their titles',
  function()
    local buf = keys_file({ '# see WEB-' })
    -- Where the cursor is in insert mode after typing WEB- (normal mode cannot be there).
    local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = 0, character = 10 } }
    local answers = vim.lsp.buf_request_sync(buf, 'textDocument/completion', params, 30000)
    local reply = answers and answers[ib.state.client_id]
    check(reply and not reply.err, 'the agent answered: ' .. vim.inspect(answers))
    local items = vim.lsp.util.extract_completion_items(reply.result)
    check(#items > 0, 'items: ' .. vim.inspect(reply.result))
    -- What vim.lsp.omnifunc makes of them: the key replacing "WEB-", its title beside.
    local words = vim.lsp.util.text_document_completion_list_to_complete_items(reply.result, 'WEB-')
    check(#words == #items, 'every item starts with WEB-: ' .. vim.inspect(words))
    for i, word in ipairs(words) do
      check(word.word:match('^WEB%-%d+$') and word.menu ~= '', 'item ' .. i .. ': ' .. vim.inspect(word))
      local edit = items[i].textEdit
      check(edit and edit.range.start.character == #'# see ', 'it replaces the typed WEB-: ' .. vim.inspect(edit))
    end
    vim.cmd('bwipeout!')
  end,
}

tests[#tests + 1] = {
  'issue keys: a git commit message (filetype gitcommit) is attached too',
  function()
    local key = sim('search', alice.pat, WEB).keys[1]
    vim.cmd('filetype on') -- -u NONE leaves filetype detection off
    local dir = vim.fn.tempname()
    vim.fn.mkdir(dir .. '/.git', 'p')
    local file = dir .. '/.git/COMMIT_EDITMSG'
    vim.fn.writefile({ 'Fix the cache', '', 'Closes ' .. key .. '.' }, file)
    vim.cmd('edit ' .. vim.fn.fnameescape(file))
    local buf = vim.api.nvim_get_current_buf()
    check(vim.bo[buf].filetype == 'gitcommit', 'filetype: ' .. vim.bo[buf].filetype)
    wait_for('the agent attached to the commit message', function()
      return vim.lsp.buf_is_attached(buf, ib.state.client_id)
    end)
    local links = document_links(buf)
    check(#links == 1 and links[1].target == base .. '/browse/' .. key, vim.inspect(links))
    check(links[1].range.start.line == 2 and links[1].range.start.character == #'Closes ', vim.inspect(links))
    vim.cmd('bwipeout!')
    vim.cmd('filetype off')
  end,
}

tests[#tests + 1] = {
  'a tracker without Start Work or issues/get: the commands say so and call nothing (a stubbed providers list)',
  function()
    local real_call = ib.call
    local called = {}
    local saved = ib.state.providers
    -- The real list, its provider stripped of every capability but fetching.
    local function stubbed(fetch)
      local result = vim.deepcopy(fetch('issuebridge/providers/list', {}))
      for _, provider in ipairs(result.providers) do
        provider.name = 'Few Tracker'
        provider.capabilities = {}
      end
      return result
    end
    ib.call = function(method, params)
      table.insert(called, method)
      if method == 'issuebridge/providers/list' then
        return stubbed(real_call)
      end
      return real_call(method, params)
    end
    ib.state.providers = stubbed(ib.request).providers
    local ok, err = pcall(function()
      local key = sim('search', alice.pat, MINE).keys[1]
      local said = command('IssuebridgeStart ' .. key, 'does not support')
      check(said.msg:find('Few Tracker does not support Start Work through issuebridge', 1, true), said.msg)
      check(said.level == vim.log.levels.ERROR, 'shown as an error')
      said = command('IssuebridgeShow ' .. key, 'does not support')
      check(said.msg:find('Few Tracker does not support reading issues through issuebridge', 1, true), said.msg)
      for _, method in ipairs(called) do
        check(method == 'issuebridge/providers/list', 'nothing but providers/list was called: ' .. method)
      end
      -- The decision itself: supported, lacking, and a provider with no list (an older agent).
      local cmds = require('issuebridge.commands')
      local list = {
        { id = 'x', name = 'X', capabilities = { 'issuebridge/issues/get' }, instances = { { instanceId = 'i' } } },
      }
      local start_work = 'issuebridge/issues/startWork'
      check(cmds.unsupported(list, 'i', 'issuebridge/issues/get', 'reading issues') == nil, 'get is supported')
      local refused = cmds.unsupported(list, 'i', start_work, 'Start Work')
      check(refused == 'X does not support Start Work through issuebridge', tostring(refused))
      list[1].capabilities = nil
      check(cmds.unsupported(list, 'i', start_work, 'Start Work') == nil, 'no list: all supported')
    end)
    ib.call = real_call
    ib.state.providers = saved
    check(ok, err)
  end,
}

tests[#tests + 1] = {
  'window/showMessage is shown with its level',
  function()
    local client = vim.lsp.get_client_by_id(ib.state.client_id)
    local message = { type = 2, message = 'Jira is read-only tonight' }
    client.handlers['window/showMessage'](nil, message, { client_id = client.id })
    local note = note_matching('issuebridge: Jira is read-only tonight')
    check(note and note.level == vim.log.levels.WARN, vim.inspect(notes))
  end,
}

tests[#tests + 1] = {
  'window/showDocument: a file for the editor opens in a split, a web page in the browser',
  function()
    local client = vim.lsp.get_client_by_id(ib.state.client_id)
    local show = client.handlers['window/showDocument']
    local guide = vim.env.IB_PLUGIN .. '/README.md'
    check(show(nil, { uri = vim.uri_from_fname(guide) }, {}).success == true, 'answered success')
    wait_for('the split', function()
      return vim.api.nvim_buf_get_name(0) == guide
    end)
    vim.cmd('close')
    local pages = #opened
    check(show(nil, { uri = base .. '/browse/ISB-1', external = true }, {}).success == true, 'opened')
    check(#opened == pages + 1 and opened[#opened] == base .. '/browse/ISB-1', 'the browser got it')
  end,
}

local consumer = 'issuebridge-nvim'

tests[#tests + 1] = {
  'OAuth 1.0a: a generated key, then :IssuebridgeAuthorize through the browser (auto-approve)',
  function()
    local function register_public_key()
      -- The form showed the generated public key: the "admin" takes it from there.
      for _, buf in ipairs(vim.api.nvim_list_bufs()) do
        if vim.api.nvim_buf_get_name(buf):find('issuebridge://public-key/', 1, true) then
          -- The lines from BEGIN to END, as an admin would copy them.
          local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
          text = text:match('%-%-%-%-%-BEGIN PUBLIC KEY%-%-%-%-%-.-%-%-%-%-%-END PUBLIC KEY%-%-%-%-%-')
          check(text, 'the buffer shows a PEM public key')
          check(vim.fn.getreg('"'):find(text, 1, true), 'the public key is in the unnamed register')
          local link = { consumerKey = consumer, publicKeyPem = text, name = 'nvim test' }
          sim('admin', 'POST', 'consumers', vim.json.encode(link))
          return 'go on'
        end
      end
      error('no public key buffer')
    end
    script = {
      ['Configure'] = 'A new connection',
      ['Connect to'] = 'OAuth 1.0a',
      ['Jira base URL'] = base,
      ['Consumer key'] = consumer,
      ['Generated key'] = 'Generate a new key pair',
      ['Give the public key'] = register_public_key,
    }
    local asked = #prompts
    command('IssuebridgeConfigure', 'next: run :IssuebridgeAuthorize')
    check(instances()[1].state == 'needsAuthorization', 'configured, not authorized yet')
    for i = asked + 1, #prompts do
      check(not prompts[i]:find('Private key', 1, true), 'with a generated key no private key is asked')
    end
    sim('admin', 'PUT', 'auto-approve', vim.json.encode({ user = 'alice' }))
    command('IssuebridgeAuthorize', 'connected to')
    local page = opened[#opened]
    local authorize = base .. '/plugins/servlet/oauth/authorize?'
    check(page:find(authorize, 1, true) == 1, 'the browser got the authorize page: ' .. page)
    local instance = instances()[1]
    local as_alice = instance.state == 'connected' and instance.user.name == 'alice'
    check(instance.authMethod == 'oauth1' and as_alice, vim.inspect(instance))
    command('IssuebridgeIssues', 'issues')
    same_keys(quickfix_keys(), sim('search', alice.pat, MINE).keys, 'my open issues over OAuth')
  end,
}

tests[#tests + 1] = {
  'OAuth 1.0a out of band: the URL is shown and the code asked for',
  function()
    local pages = #opened
    script = {
      ['The code or the address'] = function()
        local url = vim.fn.getreg('"')
        local authorize = base .. '/plugins/servlet/oauth/authorize?'
        check(url:find(authorize, 1, true) == 1, 'the authorize URL is in the register: ' .. url)
        return sim('browse', url).verifier
      end,
    }
    command('IssuebridgeAuthorize oob', 'connected to')
    check(#opened == pages, 'oob opens no browser')
    check(vim.api.nvim_exec('messages', true):find('Open this address in a browser', 1, true), 'the URL was shown')

    -- No browser to open (window/showDocument answered success = false): the
    -- agent switches to out of band by itself, and the code is asked the same way.
    local no_browser = 0
    ib.config.open_url = function()
      no_browser = no_browser + 1
      return false
    end
    local ok, err = pcall(command, 'IssuebridgeAuthorize', 'connected to')
    ib.config.open_url = browser
    check(ok, err)
    check(no_browser == 1, 'the browser was tried once: ' .. no_browser)
  end,
}

tests[#tests + 1] = {
  'the default browser opener is xdg-open (a stand-in on PATH here)',
  function()
    local dir = vim.fn.tempname()
    vim.fn.mkdir(dir, 'p')
    vim.fn.writefile({ '#!/bin/sh', 'printf "%s" "$1" > "' .. dir .. '/opened"' }, dir .. '/xdg-open')
    vim.fn.setfperm(dir .. '/xdg-open', 'rwx------')
    local path = vim.env.PATH
    vim.env.PATH = dir .. ':' .. path
    ib.config.open_url = nil
    local ok, err = pcall(function()
      check(ib.open_url(base .. '/browse/ISB-2') == true, 'xdg-open started')
      wait_for('xdg-open to run', function()
        return vim.fn.filereadable(dir .. '/opened') == 1 and #vim.fn.readfile(dir .. '/opened') > 0
      end)
      check(vim.fn.readfile(dir .. '/opened')[1] == base .. '/browse/ISB-2', 'it got the URL')
      vim.env.PATH = dir .. '/none'
      check(ib.open_url(base) == false, 'without an opener: false (the agent then offers a code)')
    end)
    vim.env.PATH = path
    ib.config.open_url = browser
    check(ok, err)
  end,
}

tests[#tests + 1] = {
  'OAuth 2.0 (when the agent offers it): the form from providers/list, authorized through the browser',
  function()
    local method
    for _, m in ipairs(ib.request('issuebridge/providers/list', {}).providers[1].authMethods) do
      if m.id == 'oauth2' then
        method = m
      end
    end
    if not method then
      return 'skip: this agent has no oauth2 method'
    end
    local redirect = string.format('http://127.0.0.1:%d/callback', sim('freeport').port)
    local link = { redirectUri = redirect, name = 'nvim test' }
    local client = sim('admin', 'POST', 'oauth2/clients', vim.json.encode(link))
    -- Answered by field name; the prompts show the agent's labels.
    local by_name = {
      baseUrl = base,
      clientId = client.clientId,
      clientSecret = client.clientSecret,
      redirectUri = redirect,
    }
    script = { ['Configure'] = 'A new connection', ['Connect to'] = method.label }
    for _, field in ipairs(method.fields) do
      script[field.label] = by_name[field.name] or default
    end
    command('IssuebridgeConfigure', 'next: run :IssuebridgeAuthorize')
    command('IssuebridgeAuthorize', 'connected to')
    local page = opened[#opened]
    check(page:find('/rest/oauth2/latest/authorize?', 1, true), 'the browser got the authorize page: ' .. page)
    local instance = instances()[1]
    check(instance.authMethod == 'oauth2' and instance.user.name == 'alice', vim.inspect(instance))
    command('IssuebridgeIssues', 'issues')
    same_keys(quickfix_keys(), sim('search', alice.pat, MINE).keys, 'my open issues over OAuth 2.0')

    -- Out of band: the browser lands on the redirect URI, where nothing listens
    -- now; the user pastes the whole address it shows.
    script = {
      ['The code or the address'] = function()
        local url = vim.fn.getreg('"')
        check(url:find('/rest/oauth2/latest/authorize?', 1, true), 'the authorize URL is in the register: ' .. url)
        local sent = sim('location', url)
        check(sent.status == 302 and sent.location:find(redirect .. '?', 1, true) == 1, vim.inspect(sent))
        return sent.location
      end,
    }
    command('IssuebridgeAuthorize oob', 'connected to')
  end,
}

tests[#tests + 1] = {
  'an agent that cannot be started: an error saying which command',
  function()
    ib.stop()
    local cmd = ib.config.cmd
    ib.setup({ cmd = { 'issuebridge-agent-not-installed', '--stdio' } })
    local ok, err = pcall(ib.request, 'issuebridge/providers/list', {})
    ib.config.cmd = cmd
    local said = not ok and err:find('could not start the agent `issuebridge-agent-not-installed --stdio`', 1, true)
    check(said, tostring(err))

    -- A setting the agent refuses in initialize: its message, at once.
    local http = ib.config.http
    ib.setup({ http = { timeoutSeconds = 'soon' } })
    ok, err = pcall(ib.request, 'issuebridge/providers/list', {})
    ib.config.http = http
    check(not ok and ib.last_error.data.field == 'initializationOptions.http.timeoutSeconds', tostring(err))
    check(err == ib.last_error.message, 'the agent\'s message: ' .. tostring(err))
    local from = #notes + 1
    ib.setup({ http = { timeoutSeconds = 'soon' } })
    vim.cmd('IssuebridgeProviders')
    ib.config.http = http
    local shown = note_matching('initializationOptions.http.timeoutSeconds', from)
    check(shown and shown.level == vim.log.levels.ERROR, 'a command shows it: ' .. vim.inspect(notes))

    check(#ib.request('issuebridge/providers/list', {}).providers > 0, 'the next request starts the agent again')
  end,
}

tests[#tests + 1] = {
  ':help issuebridge: the help file has valid tags for every command',
  function()
    local copy = vim.fn.tempname()
    vim.fn.mkdir(copy .. '/doc', 'p')
    vim.fn.writefile(vim.fn.readfile(vim.env.IB_PLUGIN .. '/doc/issuebridge.txt'), copy .. '/doc/issuebridge.txt')
    vim.cmd('helptags ' .. vim.fn.fnameescape(copy .. '/doc'))
    vim.opt.runtimepath:append(copy)
    for _, name in ipairs(vim.fn.getcompletion('Issuebridge', 'command')) do
      vim.cmd('help :' .. name)
      check(vim.bo.filetype == 'help', ':help :' .. name)
      vim.cmd('helpclose')
    end
    vim.cmd('help issuebridge.request()')
  end,
}

-- Run ------------------------------------------------------------------------

local failed, skips = 0, 0
for _, test in ipairs(tests) do
  local started = vim.loop.hrtime()
  local ok, err = xpcall(test[2], debug.traceback)
  local skipped = ok and type(err) == 'string' and err:match('^skip: (.*)')
  for _, note in ipairs(notes) do
    if note.unexpected then
      ok, err = false, note.msg
      note.unexpected = false
    end
  end
  local ms = (vim.loop.hrtime() - started) / 1e6
  if skipped then
    skips = skips + 1
    say(string.format('skip %s: %s', test[1], skipped))
  elseif ok then
    say(string.format('ok   %s (%d ms)', test[1], ms))
  else
    failed = failed + 1
    say(string.format('FAIL %s (%d ms)\n%s', test[1], ms, err))
    say('notes:\n' .. vim.inspect(vim.tbl_map(function(n)
      return n.msg
    end, notes)))
    say('prompts:\n' .. table.concat(prompts, '\n'))
  end
end
say(string.format('%d passed, %d failed, %d skipped', #tests - failed - skips, failed, skips))
ib.stop()
vim.wait(3000, function()
  return ib.state.client_id == nil and #vim.lsp.get_active_clients() == 0
end, 20)
vim.cmd(failed == 0 and 'qa!' or 'cquit 1')
