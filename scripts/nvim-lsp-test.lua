-- Headless Neovim (0.7+) drives `notelint server` through its built-in LSP client: the
-- findings must appear as diagnostics and a quick fix must apply. Run by
-- scripts/test-editors.sh inside a scratch vault; writes what it saw to $OUT.
local out = assert(os.getenv('OUT'))
local lines = {}
local function say(line) table.insert(lines, line) end
local function finish()
  vim.fn.writefile(lines, out)
  vim.cmd('qall!')
end

local bufnr = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = 'notelint',
  cmd = { 'notelint', 'server' },
  root_dir = vim.fn.getcwd(),
})
vim.lsp.buf_attach_client(bufnr, client_id)

local function diagnostics()
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(found, string.format('%d:%d %s %s', d.lnum + 1, d.col + 1, d.code or '-',
      (d.message:gsub('\n', ' | '))))
  end
  table.sort(found)
  return found
end

if not vim.wait(20000, function() return #vim.diagnostic.get(bufnr) >= 2 end, 50) then
  say('no diagnostics in time')
  return finish()
end
for _, d in ipairs(diagnostics()) do say('diagnostic ' .. d) end

-- The quick fix of the broken link writes the note it meant.
local client = vim.lsp.get_client_by_id(client_id)
local broken
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  if d.code == 'links/broken' then broken = d end
end
local params = {
  textDocument = { uri = vim.uri_from_bufnr(bufnr) },
  range = { start = { line = broken.lnum, character = broken.col },
            ['end'] = { line = broken.lnum, character = broken.col } },
  context = { diagnostics = {}, only = { 'quickfix' } },
}
local response = client.request_sync('textDocument/codeAction', params, 10000, bufnr)
local applied = false
for _, action in ipairs((response and response.result) or {}) do
  if action.title:find('^Replace with') and not applied then
    say('action ' .. action.title)
    vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or 'utf-16')
    applied = true
  end
end
if not applied then
  say('no quick fix offered')
  return finish()
end
say('line ' .. vim.api.nvim_buf_get_lines(bufnr, broken.lnum, broken.lnum + 1, false)[1])

-- The server re-checks the edited buffer: the broken link is gone.
local gone = vim.wait(20000, function()
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == 'links/broken' then return false end
  end
  return true
end, 50)
say(gone and 'links/broken gone after the fix' or 'links/broken still there')
client.stop()
finish()
