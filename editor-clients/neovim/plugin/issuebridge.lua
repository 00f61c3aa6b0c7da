-- :Issuebridge* commands; the plugin's code loads on first use.
if vim.g.loaded_issuebridge then
  return
end
vim.g.loaded_issuebridge = true

local function commands()
  return require('issuebridge.commands')
end

local function complete_key(lead)
  return commands().complete_key(lead)
end

local create = vim.api.nvim_create_user_command
create('IssuebridgeProviders', function()
  commands().providers()
end, { desc = 'issuebridge: trackers, auth methods and instances' })
create('IssuebridgeConfigure', function()
  commands().configure()
end, { desc = 'issuebridge: connect to a tracker' })
create('IssuebridgeAuthorize', function(opts)
  commands().authorize(opts.args == 'oob' and 'oob' or 'loopback')
end, {
  nargs = '?',
  complete = function()
    return { 'oob' }
  end,
  desc = 'issuebridge: allow access in the browser (oob: enter the code Jira shows)',
})
create('IssuebridgeUnlock', function()
  commands().unlock()
end, { desc = "issuebridge: unlock a team configuration's key" })
create('IssuebridgeIssues', function(opts)
  commands().issues(opts.args)
end, { nargs = '*', desc = 'issuebridge: issues in the quickfix list (optional query: JQL for Jira)' })
create('IssuebridgeOpen', function(opts)
  commands().open(opts.args)
end, { nargs = 1, complete = complete_key, desc = 'issuebridge: open an issue in the browser' })
create('IssuebridgeShow', function(opts)
  commands().show(opts.args)
end, { nargs = 1, complete = complete_key, desc = 'issuebridge: an issue with its comments' })
create('IssuebridgeStart', function(opts)
  commands().start(opts.args, opts.bang)
end, { nargs = 1, bang = true, complete = complete_key, desc = 'issuebridge: start work (! checks out the branch)' })
create('IssuebridgeOpenKey', function()
  require('issuebridge.keys').open_key()
end, { desc = 'issuebridge: open the issue whose key is under the cursor (documentLink)' })
