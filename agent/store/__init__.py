"""What the agent keeps between runs: configuration (`config`) and secrets (`secrets`)."""
