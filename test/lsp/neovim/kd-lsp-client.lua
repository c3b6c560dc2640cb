-- Drives kd-lsp from a real Neovim (headless): opens a manifest, waits for diagnostics, types
-- `kd.io/` under metadata.annotations and asks for completion, then writes what it got as JSON.
-- Works with Neovim 0.7 (vim.lsp.start_client) and later (vim.lsp.start).
local out = os.getenv('KD_NVIM_OUT')
local file = os.getenv('KD_NVIM_FILE')
local root = os.getenv('KD_NVIM_ROOT')
local cmd = { os.getenv('KD_NODE'), os.getenv('KD_LSP_BIN'), '--stdio' }
local annotation_line = tonumber(os.getenv('KD_NVIM_ANNOTATION_LINE'))

local result = { diagnostics = {}, completion = {}, errors = {} }

local function finish()
  vim.fn.writefile({ vim.fn.json_encode(result) }, out)
  vim.cmd('qa!')
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  vim.bo.filetype = 'yaml'
  local bufnr = vim.api.nvim_get_current_buf()
  local config = { name = 'kd-lsp', cmd = cmd, root_dir = root }
  if vim.lsp.start then
    vim.lsp.start(config)
  else
    local id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(bufnr, id)
  end

  local got = vim.wait(20000, function()
    return #vim.diagnostic.get(bufnr) > 0
  end, 50)
  if not got then
    table.insert(result.errors, 'no diagnostics within 20 s')
  end
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local code = d.code
    if code == nil and d.user_data and d.user_data.lsp then
      code = d.user_data.lsp.code
    end
    table.insert(result.diagnostics, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, code = code, source = d.source, message = d.message,
    })
  end

  -- Type a new annotation key the way a user would: the buffer change goes to the server as didChange.
  local text = '    kd.io/'
  vim.api.nvim_buf_set_lines(bufnr, annotation_line, annotation_line, false, { text })
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = annotation_line, character = #text },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', params, 10000)
  for _, response in pairs(responses or {}) do
    local items = response.result and (response.result.items or response.result) or {}
    for _, item in ipairs(items) do
      table.insert(result.completion, { label = item.label, detail = item.detail })
    end
    if response.err then
      table.insert(result.errors, vim.inspect(response.err))
    end
  end
end)
if not ok then
  table.insert(result.errors, tostring(err))
end
finish()
