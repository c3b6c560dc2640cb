-- Runs after a documented Neovim set-up snippet was sourced as the user's config: opens a broken
-- manifest as a user would (:edit, filetype detection), waits for kd-lsp's diagnostics, and
-- writes what it got (and the client's root) as JSON.
local out = os.getenv('KD_NVIM_OUT')
local result = { diagnostics = 0, roots = {}, errors = {} }
local ok, err = pcall(function()
  vim.cmd('filetype on')
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('KD_NVIM_FILE')))
  local bufnr = vim.api.nvim_get_current_buf()
  if not vim.wait(20000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50) then
    table.insert(result.errors, 'no diagnostics within 20 s')
  end
  result.diagnostics = #vim.diagnostic.get(bufnr)
  for _, c in pairs(vim.lsp.buf_get_clients(bufnr)) do table.insert(result.roots, c.config.root_dir) end
end)
if not ok then table.insert(result.errors, tostring(err)) end
vim.fn.writefile({ vim.fn.json_encode(result) }, out)
vim.cmd('qa!')
