"""Reference data every area shares: themes and goals (SDGs), their queries and seed; the health
check."""
