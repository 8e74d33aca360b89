-- Drives Neovim headless through the dcplan language server, with the configuration of the docs
-- (loaded by `-u`), as a user would: open the plan (env PLAN), wait for the client to attach and
-- for the diagnostics, hover a shape, apply the preferred quick fix of a diagnostic (env CODE),
-- format the buffer; writes what it saw to env OUT (JSON) and quits. Works on Neovim 0.7 to 0.11:
-- only API present in all of them, the newer name first where one was renamed.
local out = { steps = {} }
local function step(name) table.insert(out.steps, name) end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.PLAN))
  local buf = vim.api.nvim_get_current_buf()
  out.filetype = vim.bo[buf].filetype
  local function clients()
    if vim.lsp.get_clients then return vim.lsp.get_clients({ bufnr = buf }) end
    local list = {}
    for _, c in pairs(vim.lsp.buf_get_clients(buf)) do table.insert(list, c) end
    return list
  end
  if not vim.wait(30000, function() return #clients() > 0 end, 50) then error('no client attached') end
  local client = clients()[1]
  out.client = { name = client.name, root = client.config.root_dir, count = #clients() }
  step('attached')

  local want = tonumber(vim.env.DIAGNOSTICS)
  if not vim.wait(30000, function() return #vim.diagnostic.get(buf) >= want end, 50) then error('diagnostics: ' .. #vim.diagnostic.get(buf)) end
  local function diagnostics()
    local list = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      table.insert(list, { code = d.code, lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, severity = d.severity, message = d.message })
    end
    table.sort(list, function(a, b) return a.code < b.code or (a.code == b.code and a.lnum < b.lnum) end)
    return list
  end
  out.diagnostics = diagnostics()
  step('diagnostics')

  local enc = client.offset_encoding
  -- hover on the name of the first shape
  local line = vim.fn.search('^shape ', 'w')
  vim.api.nvim_win_set_cursor(0, { line, 7 })
  local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover', vim.lsp.util.make_position_params(0, enc), 10000)
  for _, r in pairs(hover or {}) do
    if r.result then out.hover = r.result.contents.value or r.result.contents end
  end
  step('hover')

  -- the preferred quick fix of the diagnostic CODE, applied as vim.lsp.buf.code_action() does
  local target
  for _, d in ipairs(vim.diagnostic.get(buf)) do if d.code == vim.env.CODE then target = d end end
  local range = { start = { line = target.lnum, character = target.col }, ['end'] = { line = target.end_lnum, character = target.end_col } }
  -- back in LSP form, with the fields Neovim keeps in user_data.lsp (`data` names the fix), as
  -- vim.lsp.buf.code_action() sends it
  local lsp_diagnostic = vim.tbl_extend('keep', { range = range, message = target.message, code = target.code, severity = target.severity, source = target.source },
    (target.user_data and target.user_data.lsp) or {})
  local actions = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction',
    { textDocument = { uri = vim.uri_from_bufnr(buf) }, range = range, context = { diagnostics = { lsp_diagnostic }, only = { 'quickfix' } } }, 10000)
  out.actions = {}
  local chosen
  for _, r in pairs(actions or {}) do
    for _, a in ipairs(r.result or {}) do
      table.insert(out.actions, a.title)
      if a.isPreferred and not chosen then chosen = a end
    end
  end
  out.applied = chosen.title
  vim.lsp.util.apply_workspace_edit(chosen.edit, enc)
  out.after_action = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  step('code action')

  -- formatting, as vim.lsp.buf.format() / formatting() asks it
  local edits = vim.lsp.buf_request_sync(buf, 'textDocument/formatting',
    { textDocument = { uri = vim.uri_from_bufnr(buf) }, options = { tabSize = 2, insertSpaces = true } }, 10000)
  for _, r in pairs(edits or {}) do
    if r.result then vim.lsp.util.apply_text_edits(r.result, buf, enc) end
  end
  out.after_format = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  step('formatting')

  -- the server re-checks the fixed and formatted text
  local version_text = table.concat(out.after_format, '\n')
  vim.wait(30000, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do if d.code == vim.env.CODE then return false end end
    return true
  end, 50)
  out.diagnostics_after = diagnostics()

  -- semantic tokens as Neovim's client asks them (0.7 and 0.8 have no vim.lsp.semantic_tokens to
  -- apply them: the answer is checked at the LSP level); the legend and each answer's data as
  -- sent, decoded by the test (test/helpers/semantic-tokens.ts)
  out.semantic = { module = vim.lsp.semantic_tokens ~= nil }
  local provider = client.server_capabilities.semanticTokensProvider
  out.semantic.legend = provider and provider.legend or { tokenTypes = {}, tokenModifiers = {} }
  local tokens = vim.lsp.buf_request_sync(buf, 'textDocument/semanticTokens/full', { textDocument = { uri = vim.uri_from_bufnr(buf) } }, 10000)
  out.semantic.responses = {}
  for _, r in pairs(tokens or {}) do table.insert(out.semantic.responses, (r.result or {}).data or {}) end
  step('semantic tokens')

  -- a code lens run as a user runs it (vim.lsp.codelens.run() on a deploy line): the server
  -- executes its command; what Neovim says is recorded
  out.notified = {}
  local notify = vim.notify
  vim.notify = function(msg, ...) table.insert(out.notified, msg); return notify(msg, ...) end
  local executed
  local on_execute = vim.lsp.handlers['workspace/executeCommand']
  vim.lsp.handlers['workspace/executeCommand'] = function(err, result, ctx, config)
    executed = { err = err and err.message, result = result }
    if on_execute then return on_execute(err, result, ctx, config) end
  end
  vim.lsp.codelens.refresh()
  if not vim.wait(10000, function() return #(vim.lsp.codelens.get(buf) or {}) > 0 end, 50) then error('no code lenses') end
  local deploy = vim.fn.search('^deploy ', 'w')
  vim.api.nvim_win_set_cursor(0, { deploy, 0 })
  for _, lens in ipairs(vim.lsp.codelens.get(buf)) do
    if lens.range.start.line == deploy - 1 then out.lens = { title = lens.command.title, command = lens.command.command } end
  end
  vim.lsp.codelens.run()
  vim.wait(10000, function() return executed ~= nil or #out.notified > 0 end, 50)
  out.executed = executed
  vim.notify = notify
  step('code lens')
  out.alive = not client.is_stopped()
  out.version_text_length = #version_text
end)
out.ok = ok
if not ok then out.error = tostring(err) end
local f = assert(io.open(vim.env.OUT, 'w'))
f:write(vim.fn.json_encode(out))
f:close()
vim.cmd('qa!')
