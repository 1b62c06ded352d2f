-- Loaded by record-filters.sh into one tshark pass over a capture: a tap per display filter of
-- the file named by FILTERS (one a line), each noting the frames its filter selects, printed at
-- the end as record-filters.sh describes. One pass instead of one tshark per filter and capture.
local taps = {}
for line in io.lines(os.getenv("FILTERS")) do
  local entry = { filter = line, frames = {} }
  local ok, tap = pcall(Listener.new, "frame", line)
  if ok then
    function tap.packet(pinfo) table.insert(entry.frames, pinfo.number) end
  else
    entry.error = true
  end
  table.insert(taps, entry)
end

-- "1-3,7" from {1, 2, 3, 7}
local function ranges(frames)
  local out, s, e = {}, nil, nil
  for _, n in ipairs(frames) do
    if s == nil then s, e = n, n
    elseif n == e + 1 then e = n
    else table.insert(out, s == e and tostring(s) or (s .. "-" .. e)); s, e = n, n end
  end
  if s ~= nil then table.insert(out, s == e and tostring(s) or (s .. "-" .. e)) end
  return table.concat(out, ",")
end

register_postdissector(Proto("filterdump", "filter table recorder"))
local out = io.open(os.getenv("FILTERS_OUT"), "w")
local done = false
-- tshark calls draw on every tap when the capture ends: the first one writes the table.
for _, entry in ipairs(taps) do
  if not entry.error then
    local tap = Listener.new("frame", entry.filter)
    function tap.draw()
      if done then return end
      done = true
      for _, e in ipairs(taps) do out:write(e.filter, "\t", e.error and "error" or ranges(e.frames), "\n") end
      out:close()
    end
    break
  end
end
