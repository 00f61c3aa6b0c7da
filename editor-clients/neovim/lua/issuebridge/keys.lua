-- Issue keys in documents: the agent's client attached to file buffers (and
-- gitcommit messages), so that Neovim's own LSP features work on keys such as
-- CORE-12: vim.lsp.buf.hover (K), completion after CORE- (omnifunc) and
-- vim.lsp.buf.code_action ("Create issue from this comment", which the agent
-- runs and applies with workspace/applyEdit). Neovim 0.7 has no documentLink
-- UI: :IssuebridgeOpenKey opens the link under the cursor.
local agent = require('issuebridge')

local M = {}

local group_name = 'issuebridge_keys'

-- A buffer worth attaching: a loaded, named file (buftype ''), not a URL-named
-- buffer (fugitive://, issuebridge://…) nor an excluded filetype.
function M.eligible(buf)
  if not vim.api.nvim_buf_is_valid(buf) or not vim.api.nvim_buf_is_loaded(buf) then
    return false
  end
  if vim.bo[buf].buftype ~= '' then
    return false
  end
  local name = vim.api.nvim_buf_get_name(buf)
  if name == '' or name:match('^%a[%w+.-]*://') then
    return false
  end
  return not vim.tbl_contains(agent.config.issue_keys_exclude or {}, vim.bo[buf].filetype)
end

-- K and omnifunc for the buffer, unless the user has their own.
local function buffer_defaults(buf)
  if agent.config.issue_keys_keymaps == false then
    return
  end
  if vim.bo[buf].omnifunc == '' then
    vim.bo[buf].omnifunc = 'v:lua.vim.lsp.omnifunc'
  end
  local has_k = vim.api.nvim_buf_call(buf, function()
    return vim.fn.maparg('K', 'n') ~= ''
  end)
  if not has_k then
    vim.keymap.set('n', 'K', vim.lsp.buf.hover, { buffer = buf, silent = true, desc = 'issuebridge: hover' })
  end
end

-- Attach the agent (started if need be, without waiting: Neovim sends didOpen
-- once it is initialized) to `buf`; true when it is attached.
function M.attach(buf)
  if buf == nil or buf == 0 then
    buf = vim.api.nvim_get_current_buf()
  end
  if not M.eligible(buf) then
    return false
  end
  local ok, id = pcall(agent.started_client_id)
  if not ok then
    -- Said once per start attempt, not at every BufEnter.
    if M.failed ~= id then
      M.failed = id
      vim.notify(tostring(id), vim.log.levels.ERROR)
    end
    return false
  end
  M.failed = nil
  if vim.lsp.buf_is_attached(buf, id) then
    return true
  end
  if not vim.lsp.buf_attach_client(buf, id) then
    return false
  end
  buffer_defaults(buf)
  return true
end

-- Attach every file buffer from now on (BufEnter, FileType), and those open now.
function M.enable()
  local group = vim.api.nvim_create_augroup(group_name, { clear = true })
  vim.api.nvim_create_autocmd({ 'BufEnter', 'FileType' }, {
    group = group,
    callback = function(event)
      M.attach(event.buf)
    end,
    desc = 'issuebridge: issue keys in this buffer',
  })
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) then
      M.attach(buf)
    end
  end
end

-- No more attaching (buffers attached stay so until they close).
function M.disable()
  pcall(vim.api.nvim_del_augroup_by_name, group_name)
end

-- The cursor's position in LSP terms (UTF-16 columns).
local function cursor_position()
  local row, col = unpack(vim.api.nvim_win_get_cursor(0))
  local line = vim.api.nvim_get_current_line()
  local _, utf16 = vim.str_utfindex(line, math.min(col, #line))
  return { line = row - 1, character = utf16 }
end

local function contains(range, pos)
  local s, e = range.start, range['end']
  local after_start = pos.line > s.line or (pos.line == s.line and pos.character >= s.character)
  local before_end = pos.line < e.line or (pos.line == e.line and pos.character < e.character)
  return after_start and before_end
end

-- The agent's documentLink under the cursor, or nil (raises the agent's error).
function M.link_at_cursor()
  local buf = vim.api.nvim_get_current_buf()
  if not M.attach(buf) then
    error('issuebridge: issue keys work in file buffers only', 0)
  end
  agent.client() -- initialized, so that didOpen went before the request
  local links = agent.call('textDocument/documentLink', { textDocument = { uri = vim.uri_from_bufnr(buf) } })
  local pos = cursor_position()
  for _, link in ipairs(links or {}) do
    if link.target and contains(link.range, pos) then
      return link
    end
  end
  return nil
end

-- :IssuebridgeOpenKey: the issue whose key is under the cursor, in the browser.
function M.open_key()
  local commands = require('issuebridge.commands')
  require('issuebridge.async').run(function()
    local link = M.link_at_cursor()
    if not link then
      error('no issue key of a connected instance under the cursor', 0)
    end
    if not agent.open_url(link.target) then
      vim.fn.setreg('"', link.target)
      vim.notify('issuebridge: open ' .. link.target, vim.log.levels.INFO)
    end
  end, commands.report)
end

return M
