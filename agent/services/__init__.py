"""What each contract method means, independent of the wire."""
