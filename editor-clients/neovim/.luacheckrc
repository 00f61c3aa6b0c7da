-- luacheck (Debian: lua-check) for the plugin and its test: `luacheck .` here.
std = 'luajit'
globals = { 'vim' }
max_line_length = 120
