"""Reading cases in the contract's format (CONTRACT.md sections 1, 2 and 4.3) and checking them."""
