-- An issue's details and comments in a floating window (q or <Esc> closes it).
local M = {}

local function who(user)
  return user and user.displayName or 'nobody'
end

local function add_text(lines, text, indent)
  local clean = (text or ''):gsub('\r', '')
  for _, line in ipairs(vim.split(clean, '\n')) do
    table.insert(lines, indent .. line)
  end
end

function M.lines(issue)
  local lines = {
    issue.key .. '  ' .. issue.title,
    string.format('%s · %s · %s', issue.status.name, issue.type or 'issue', issue.priority or 'no priority'),
    'Assignee: ' .. who(issue.assignee) .. '   Reporter: ' .. who(issue.reporter),
    'Project: ' .. issue.project.name .. '   Updated: ' .. issue.updatedAt,
  }
  if issue.labels and #issue.labels > 0 then
    table.insert(lines, 'Labels: ' .. table.concat(issue.labels, ', '))
  end
  table.insert(lines, issue.url)
  table.insert(lines, '')
  if issue.description and issue.description ~= '' then
    add_text(lines, issue.description, '')
    table.insert(lines, '')
  end
  local comments = issue.comments or {}
  table.insert(lines, string.format('Comments (%d)', #comments))
  for _, comment in ipairs(comments) do
    table.insert(lines, '')
    table.insert(lines, '  ' .. who(comment.author) .. ', ' .. comment.createdAt)
    add_text(lines, comment.body, '    ')
  end
  if issue.transitions and #issue.transitions > 0 then
    table.insert(lines, '')
    local names = vim.tbl_map(function(t)
      return t.name
    end, issue.transitions)
    table.insert(lines, 'Transitions: ' .. table.concat(names, ', '))
  end
  return lines
end

function M.float(issue)
  local origin = vim.api.nvim_get_current_win()
  local lines = M.lines(issue)
  local buf = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = false
  vim.bo[buf].bufhidden = 'wipe'
  local width = math.min(math.max(60, math.floor(vim.o.columns * 0.7)), vim.o.columns - 4)
  local height = math.min(#lines, math.max(5, vim.o.lines - 6))
  local win = vim.api.nvim_open_win(buf, true, {
    relative = 'editor',
    width = width,
    height = height,
    row = math.floor((vim.o.lines - height) / 2) - 1,
    col = math.floor((vim.o.columns - width) / 2),
    style = 'minimal',
    border = 'rounded',
  })
  vim.wo[win].wrap = true
  -- Closing goes back to where the float was opened from (Neovim 0.7 may pick
  -- another window), e.g. the issues' quickfix window.
  local function close()
    vim.api.nvim_win_close(win, true)
    if vim.api.nvim_win_is_valid(origin) then
      vim.api.nvim_set_current_win(origin)
    end
  end
  for _, lhs in ipairs({ 'q', '<Esc>' }) do
    vim.keymap.set('n', lhs, close, { buffer = buf, silent = true })
  end
  return win, buf
end

return M
