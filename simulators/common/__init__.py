"""What every tracker's simulator shares: the loopback HTTP server, its lifecycle and
request log (`server`), and the plain request/response values handlers work on (`wire`)."""
